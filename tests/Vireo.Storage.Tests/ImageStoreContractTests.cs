using Vireo.Core.Ports;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Contracts;

namespace Vireo.Storage.Tests;

/// <summary>
/// Storage's FileImageStore on a temporary state_path (real qemu-img) keeps the contract the fake image
/// store is held to (tests/Vireo.Core.Tests/FakeContractTests.cs).
/// </summary>
public sealed class ImageStoreContractTests : ImageStoreContract, IDisposable
{
    private readonly StorageSandbox _sandbox = new();

    protected override IImageStore Store => _sandbox.Store;

    protected override IImageCatalog Catalog => _sandbox.Registry;

    public void Dispose() => _sandbox.Dispose();
}

using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Contracts;

namespace Vireo.Storage.Tests;

/// <summary>
/// Storage's InstanceDisks on a temporary state_path (real qemu-img) with the qcow2 backend keeps
/// the contract the fake disks are held to (tests/Vireo.Core.Tests/FakeContractTests.cs).
/// </summary>
public sealed class InstanceDisksContractTests : InstanceDisksContract, IDisposable
{
    private readonly StorageSandbox _sandbox = new();

    protected override IInstanceDisks Disks => _sandbox.Disks;

    protected override (string InstallationId, string Host) Owner => (StorageSandbox.InstallationId, StorageSandbox.HostName);

    protected override async Task<ImageRecord> AnImageAsync() =>
        await _sandbox.ImportFileAsync(Tool.MakeRaw(_sandbox.ScratchPath("image.raw"), 1 << 20), DiskFormat.Raw);

    protected override Task WriteConsoleLogAsync(Guid instanceId, DiskLayout layout, string text) =>
        File.WriteAllTextAsync(layout.ConsoleLog, text, TestContext.Current.CancellationToken);

    public void Dispose() => _sandbox.Dispose();
}

/// <summary>The same contract with the flat backend: a raw copy of the base as the root disk.</summary>
public sealed class FlatInstanceDisksContractTests : InstanceDisksContract, IDisposable
{
    private readonly StorageSandbox _sandbox = new(backend: (qemuImg, settings) => new FlatBackend(qemuImg, settings.ForceRawImages));

    protected override IInstanceDisks Disks => _sandbox.Disks;

    protected override DiskFormat RootFormat => DiskFormat.Raw;

    protected override (string InstallationId, string Host) Owner => (StorageSandbox.InstallationId, StorageSandbox.HostName);

    protected override async Task<ImageRecord> AnImageAsync() =>
        await _sandbox.ImportFileAsync(Tool.MakeRaw(_sandbox.ScratchPath("image.raw"), 1 << 20), DiskFormat.Raw);

    protected override Task WriteConsoleLogAsync(Guid instanceId, DiskLayout layout, string text) =>
        File.WriteAllTextAsync(layout.ConsoleLog, text, TestContext.Current.CancellationToken);

    public void Dispose() => _sandbox.Dispose();
}

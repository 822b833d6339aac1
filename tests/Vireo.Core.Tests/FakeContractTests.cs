using Vireo.Core.Ports;
using Vireo.Testing.Contracts;

namespace Vireo.Core.Tests;

/// <summary>The fake hypervisor keeps the contract LibvirtHypervisor keeps (tests/Vireo.Virt.Tests/Integration/LibvirtHypervisorContractTests.cs).</summary>
public sealed class FakeHypervisorContractTests : HypervisorContract
{
    private readonly FakeHypervisor _hypervisor = new();

    protected override IHypervisor Hypervisor => _hypervisor;

    protected override GuestSpec NewSpec(string label)
    {
        var id = Guid.NewGuid();
        var directory = FakeDisks.DirectoryOf(id);
        return new GuestSpec(id, "test-" + label, FakeHost.Tiny, FakeHost.Cirros,
            new DiskLayout(directory, [GuestDisk.File(DiskRole.Root, directory + "/disk", DiskFormat.Qcow2)], directory + "/console.log"));
    }

    protected override ValueTask RemoveGuestAsync(Guid instanceId)
    {
        if (_hypervisor.Guests.ContainsKey(instanceId))
        {
            _hypervisor.ChangeBehindOurBack(instanceId, power: null);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>The fake disks keep the contract Storage's InstanceDisks keeps (tests/Vireo.Storage.Tests/InstanceDisksContractTests.cs).</summary>
public sealed class FakeDisksContractTests : InstanceDisksContract
{
    private readonly FakeDisks _disks = new();

    protected override IInstanceDisks Disks => _disks;

    protected override (string InstallationId, string Host) Owner => (FakeDisks.InstallationId, _disks.Host);

    protected override Task<ImageRecord> AnImageAsync() => Task.FromResult(FakeHost.Cirros);

    protected override Task WriteConsoleLogAsync(Guid instanceId, DiskLayout layout, string text)
    {
        _disks.ConsoleLogs.Write(instanceId, text);
        return Task.CompletedTask;
    }
}

/// <summary>The in-memory store keeps the contract the SQLite store keeps (tests/Vireo.State.Tests/SqliteStoreContractTests.cs).</summary>
public sealed class InMemoryStoreContractTests : StoreContract
{
    private readonly InMemoryStore _store = new();

    protected override IInstanceStore Instances => _store;

    protected override IFlavorStore Flavors => _store;

    protected override IImageRegistry Images => _store;
}

/// <summary>The fake image store keeps the contract Storage's FileImageStore keeps (tests/Vireo.Storage.Tests/ImageStoreContractTests.cs).</summary>
public sealed class FakeImageStoreContractTests : ImageStoreContract
{
    private readonly FakeImageStore _store = new();

    protected override IImageStore Store => _store;

    protected override IImageCatalog Catalog => _store;
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Vireo.Core.Compute;
using Vireo.Core.Ports;
using Xunit;

namespace Vireo.Testing.Fakes;

/// <summary>One simulated compute host: store, hypervisor, disks and clock sharing one process.</summary>
public sealed class FakeHost
{
    public const string HostName = "compute1";

    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly Flavor Tiny = new("1", "m1.tiny", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs);
    public static readonly Flavor Small = new("2", "m1.small", 1, 2048, 20, 0, 0, Flavor.NoExtraSpecs);

    public static readonly ImageRecord Cirros = new(
        Guid.Parse("6b1c8f4e-1a52-4f0d-9c7e-2f1f0e6b9a01"), "cirros", ImageStatus.Active, DiskFormat.Qcow2, "bare",
        SizeBytes: 21_430_272, VirtualSizeBytes: 117_440_512, Sha256: new string('a', 64), MinDiskGiB: 0, MinRamMiB: 0,
        ImageRecord.NoProperties, Epoch, Epoch)
    {
        Visibility = Core.Tenancy.ImageVisibility.Public,
    };

    public FakeHost()
    {
        Store = new InMemoryStore(Process);
        Hypervisor = new FakeHypervisor(Process);
        Disks = new FakeDisks(Process);
        Images = new FakeImageStore(Store);
        Hypervisor.SnapshotFiles = Disks.SnapshotFiles;
        Store.Put(Tiny);
        Store.Put(Small);
        Store.Put(Cirros);
    }

    public Freezable Process { get; } = new();

    public InMemoryStore Store { get; }

    public FakeHypervisor Hypervisor { get; }

    public FakeDisks Disks { get; }

    /// <summary>The image store over <see cref="Store"/>'s image metadata: snapshots save their images here.</summary>
    public FakeImageStore Images { get; }

    /// <summary>A clock that moves only when read: one second per reading, so orderings are visible (first reading 2025-01-02T03:04:06Z).</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };

    public ComputeService Service(IFaultPoints? faults = null, ILogger<ComputeService>? logger = null) =>
        new(Store, Store, Store, Hypervisor, Disks, faults ?? FaultPoints.None, Time,
            new ComputeServiceOptions(HostName) { ShutdownTimeout = TimeSpan.FromSeconds(1), InstallationId = FakeDisks.InstallationId }, logger, Images);

    public static CreateServerRequest Request(string name = "web1", string image = "cirros", string flavor = "m1.tiny") => new(name, image, flavor);

    public async Task<Instance> CreateActiveAsync(string name = "web1")
    {
        var instance = await Service().CreateServerAsync(Request(name), Callers.Admin, TestContext.Current.CancellationToken);
        instance.VmState.ShouldBe(VmState.Active);
        return instance;
    }

    /// <summary>The id of the live server named <paramref name="name"/>: the compute service takes ids only.</summary>
    public string IdOf(string name) => Store.Instances.Single(instance => instance.Name == name && !instance.IsDeleted).Id.ToString("D");

    public Instance Row(Guid id) => Store.Instances.Single(instance => instance.Id == id);

    /// <summary>No guest and no directory for this instance.</summary>
    public void ShouldHaveNothingOnHostFor(Guid id)
    {
        Hypervisor.Guests.Keys.ShouldNotContain(id, "a guest was left behind");
        Disks.Directories.ShouldNotContain(id, "an instance directory was left behind");
    }

    /// <summary>The invariants reconciliation promises.</summary>
    public void ShouldBeConsistent()
    {
        var live = Store.Instances.Where(instance => !instance.IsDeleted).ToDictionary(instance => instance.Id);
        foreach (var guest in Hypervisor.Guests.Keys)
        {
            live.ShouldContainKey(guest, $"guest {guest} has no row");
        }

        foreach (var directory in Disks.Directories)
        {
            live.ShouldContainKey(directory, $"directory {directory} has no row");
        }

        foreach (var row in live.Values)
        {
            row.VmState.ShouldNotBe(VmState.Building, $"{row.Label} is still building");
            row.TaskState.ShouldBeNull($"{row.Label} still has a task");
            if (row.VmState is VmState.Active or VmState.Stopped)
            {
                Hypervisor.Guests.Keys.ShouldContain(row.Id, $"{row.Label} is {row.VmState} but its guest is gone");
            }

            if (row.VmState == VmState.Error)
            {
                row.FaultReason.ShouldNotBeNullOrWhiteSpace();
            }
        }
    }
}

using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;

namespace Vireo.Virt.Tests.TestSupport;

/// <summary>Fixed inputs for the builder: the same values every run, so goldens are stable.</summary>
internal static class Specs
{
    public const string InstallationId = "vireo-test-installation";

    public static readonly Guid InstanceId = Guid.Parse("5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c");

    public static readonly Guid ImageId = Guid.Parse("0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9");

    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);

    public const string InstanceDirectory = "/var/lib/vireo/instances/5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c";

    public static Flavor Tiny { get; } = new("1", "m1.tiny", Vcpus: 1, MemoryMiB: 128, RootDiskGiB: 1, EphemeralGiB: 0, SwapMiB: 0, Flavor.NoExtraSpecs);

    public static Flavor Small { get; } = new("2", "m1.small", Vcpus: 2, MemoryMiB: 2048, RootDiskGiB: 20, EphemeralGiB: 0, SwapMiB: 0, Flavor.NoExtraSpecs);

    public static ImageRecord Image(IReadOnlyDictionary<string, string>? properties = null) => new(
        ImageId,
        "cirros",
        ImageStatus.Active,
        DiskFormat.Qcow2,
        "bare",
        SizeBytes: 16_000_000,
        VirtualSizeBytes: 67_108_864,
        Sha256: null,
        MinDiskGiB: 0,
        MinRamMiB: 0,
        properties ?? ImageRecord.NoProperties,
        CreatedAt,
        CreatedAt);

    public static ImageRecord ImageWithAgent(string value = "yes") =>
        Image(new Dictionary<string, string> { [ImagePropertyRules.QemuGuestAgent] = value });

    public static GuestSpec Spec(
        Flavor? flavor = null,
        ImageRecord? image = null,
        IReadOnlyList<GuestDisk>? disks = null,
        string name = "web-1",
        Guid? instanceId = null,
        string directory = InstanceDirectory) => new(
        instanceId ?? InstanceId,
        name,
        flavor ?? Tiny,
        image ?? Image(),
        new DiskLayout(directory, disks ?? [GuestDisk.File(DiskRole.Root, Path.Combine(directory, "disk"), DiskFormat.Qcow2)], Path.Combine(directory, "console.log")));

    public static HypervisorSettings Qemu { get; } = new() { InstallationId = InstallationId, VirtType = DomainType.Qemu };

    public static HypervisorSettings Kvm { get; } = new() { InstallationId = InstallationId, VirtType = DomainType.Kvm };
}

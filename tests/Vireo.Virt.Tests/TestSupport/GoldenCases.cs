using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;

namespace Vireo.Virt.Tests.TestSupport;

/// <summary>The builder inputs behind each golden file; the integration tests define the same cases in libvirtd.</summary>
internal static class GoldenCases
{
    public static readonly IReadOnlyDictionary<string, (Func<Guid, string, GuestSpec> Spec, HypervisorSettings Settings)> All =
        new Dictionary<string, (Func<Guid, string, GuestSpec>, HypervisorSettings)>
        {
            ["qemu-guest-with-agent.xml"] = (
                (id, dir) => Specs.Spec(image: Specs.ImageWithAgent(), instanceId: id, directory: dir),
                Specs.Qemu),
            ["kvm-guest-without-agent.xml"] = (
                (id, dir) => Specs.Spec(
                    flavor: Specs.Small,
                    disks:
                    [
                        GuestDisk.File(DiskRole.Swap, Path.Combine(dir, "disk.swap"), DiskFormat.Raw),
                        GuestDisk.File(DiskRole.Root, Path.Combine(dir, "disk"), DiskFormat.Qcow2),
                        GuestDisk.File(DiskRole.Ephemeral, Path.Combine(dir, "disk.local"), DiskFormat.Qcow2),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Kvm),
            ["qemu-guest-ephemeral-swap.xml"] = (
                (id, dir) => Specs.Spec(
                    flavor: new Flavor("3", "m1.eph", Vcpus: 1, MemoryMiB: 128, RootDiskGiB: 1, EphemeralGiB: 1, SwapMiB: 64, Flavor.NoExtraSpecs),
                    image: Specs.ImageWithAgent(),
                    disks:
                    [
                        GuestDisk.File(DiskRole.Root, Path.Combine(dir, "disk"), DiskFormat.Qcow2),
                        GuestDisk.File(DiskRole.Ephemeral, Path.Combine(dir, "disk.local"), DiskFormat.Qcow2),
                        GuestDisk.File(DiskRole.Swap, Path.Combine(dir, "disk.swap"), DiskFormat.Qcow2),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu),
            ["mem-stats-period-0.xml"] = (
                (id, dir) => Specs.Spec(instanceId: id, directory: dir),
                Specs.Qemu with { MemStatsPeriodSeconds = 0 }),
            ["custom-cpu.xml"] = (
                (id, dir) => Specs.Spec(flavor: Specs.Small, instanceId: id, directory: dir),
                Specs.Qemu with
                {
                    CpuMode = CpuMode.Custom,
                    CpuModels = ["Westmere", "Nehalem"],
                    CpuExtraFlags = ["PCID", "-vmx"],
                    DiskCacheMode = DiskCache.Writethrough,
                }),
            ["image-sata-disks-on-q35.xml"] = (
                (id, dir) => Specs.Spec(
                    image: Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = "sata", ["hw_machine_type"] = "q35", ["hw_qemu_guest_agent"] = "yes" }),
                    disks:
                    [
                        GuestDisk.File(DiskRole.Root, Path.Combine(dir, "disk"), DiskFormat.Qcow2),
                        GuestDisk.File(DiskRole.Ephemeral, Path.Combine(dir, "disk.local"), DiskFormat.Qcow2),
                        GuestDisk.File(DiskRole.ConfigDrive, Path.Combine(dir, "disk.config"), DiskFormat.Raw),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu),
            ["iso-root-cdrom.xml"] = (
                (id, dir) => Specs.Spec(
                    disks: [GuestDisk.File(DiskRole.Root, Path.Combine(dir, "disk"), DiskFormat.Qcow2, isCdrom: true)],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu),
            ["image-scsi-disk.xml"] = (
                (id, dir) => Specs.Spec(image: Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = "scsi" }), instanceId: id, directory: dir),
                Specs.Qemu),
            ["image-ide-disks-usb-cdrom.xml"] = (
                (id, dir) => Specs.Spec(
                    image: Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = "ide", ["hw_cdrom_bus"] = "usb" }),
                    disks:
                    [
                        GuestDisk.File(DiskRole.Root, Path.Combine(dir, "disk"), DiskFormat.Qcow2),
                        GuestDisk.File(DiskRole.Swap, Path.Combine(dir, "disk.swap"), DiskFormat.Raw),
                        GuestDisk.File(DiskRole.ConfigDrive, Path.Combine(dir, "disk.config"), DiskFormat.Raw),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu),
        };

    /// <summary>
    /// A root disk per image backend, as Nova writes it (nova/virt/libvirt/imagebackend.py
    /// libvirt_info with config.py LibvirtConfigGuestDisk): a flat file, an LVM block device, an
    /// RBD image with monitors and cephx auth. Their sources do not exist on a test host, so they
    /// are compared as XML only, not defined in libvirtd.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (Func<Guid, string, GuestSpec> Spec, HypervisorSettings Settings)> RootDiskSources =
        new Dictionary<string, (Func<Guid, string, GuestSpec>, HypervisorSettings)>
        {
            ["root-disk-file-flat.xml"] = (
                (id, dir) => Specs.Spec(disks: [GuestDisk.File(DiskRole.Root, Path.Combine(dir, "disk"), DiskFormat.Raw)], instanceId: id, directory: dir),
                Specs.Qemu),
            ["root-disk-block-lvm.xml"] = (
                (id, dir) => Specs.Spec(
                    disks: [new GuestDisk(DiskRole.Root, new DiskSource.Block($"/dev/nova-vg/{id:D}_disk"), DiskFormat.Raw)],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu),
            ["root-disk-rbd.xml"] = (
                (id, dir) => Specs.Spec(
                    disks:
                    [
                        new GuestDisk(
                            DiskRole.Root,
                            new DiskSource.Rbd("vms", $"{id:D}_disk", [new NetworkHost("192.0.2.10", 6789), new NetworkHost("192.0.2.11", 6789)], "nova", Guid.Parse("457eb676-33da-42ec-9a8c-9293d545c337")),
                            DiskFormat.Raw),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu with { DiskCacheMode = DiskCache.Writeback }),
            ["ephemeral-swap-rbd.xml"] = (
                (id, dir) => Specs.Spec(
                    flavor: new Flavor("3", "m1.eph", Vcpus: 1, MemoryMiB: 128, RootDiskGiB: 1, EphemeralGiB: 1, SwapMiB: 64, Flavor.NoExtraSpecs),
                    disks:
                    [
                        new GuestDisk(DiskRole.Root, Rbd($"{id:D}_disk"), DiskFormat.Raw),
                        new GuestDisk(DiskRole.Ephemeral, Rbd($"{id:D}_disk.local"), DiskFormat.Raw),
                        new GuestDisk(DiskRole.Swap, Rbd($"{id:D}_disk.swap"), DiskFormat.Raw),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu with { DiskCacheMode = DiskCache.Writeback }),
            ["ephemeral-swap-block-lvm.xml"] = (
                (id, dir) => Specs.Spec(
                    flavor: new Flavor("3", "m1.eph", Vcpus: 1, MemoryMiB: 128, RootDiskGiB: 1, EphemeralGiB: 1, SwapMiB: 64, Flavor.NoExtraSpecs),
                    disks:
                    [
                        new GuestDisk(DiskRole.Root, new DiskSource.Block($"/dev/nova-vg/{id:D}_disk"), DiskFormat.Raw),
                        new GuestDisk(DiskRole.Ephemeral, new DiskSource.Block($"/dev/nova-vg/{id:D}_disk.local"), DiskFormat.Raw),
                        new GuestDisk(DiskRole.Swap, new DiskSource.Block($"/dev/nova-vg/{id:D}_disk.swap"), DiskFormat.Raw),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Qemu),
        };

    private static DiskSource.Rbd Rbd(string image) =>
        new("vms", image, [new NetworkHost("192.0.2.10", 6789), new NetworkHost("192.0.2.11", 6789)], "nova", Guid.Parse("457eb676-33da-42ec-9a8c-9293d545c337"));

    public static DomainDefinition Build(string file) => Build(file, Specs.InstanceId, Specs.InstanceDirectory);

    public static DomainDefinition Build(string file, Guid instanceId, string directory)
    {
        var (spec, settings) = All.TryGetValue(file, out var known) ? known : RootDiskSources[file];
        return GuestConfigBuilder.Build(spec(instanceId, directory), settings, Specs.CreatedAt, CpuFactValues.For(settings));
    }
}

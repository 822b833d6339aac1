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
                        new GuestDisk(DiskRole.Swap, Path.Combine(dir, "disk.swap"), "raw"),
                        new GuestDisk(DiskRole.Root, Path.Combine(dir, "disk"), "qcow2"),
                        new GuestDisk(DiskRole.Ephemeral, Path.Combine(dir, "disk.local"), "qcow2"),
                    ],
                    instanceId: id,
                    directory: dir),
                Specs.Kvm),
            ["mem-stats-period-0.xml"] = (
                (id, dir) => Specs.Spec(instanceId: id, directory: dir),
                Specs.Qemu with { MemStatsPeriodSeconds = 0 }),
            ["custom-cpu.xml"] = (
                (id, dir) => Specs.Spec(flavor: Specs.Small, instanceId: id, directory: dir),
                Specs.Qemu with
                {
                    CpuMode = GuestCpuMode.Custom,
                    CpuModels = ["Westmere", "Nehalem"],
                    CpuExtraFlags = ["PCID", "-vmx"],
                    DiskCacheMode = DiskCache.Writethrough,
                }),
        };

    public static DomainDefinition Build(string file) => Build(file, Specs.InstanceId, Specs.InstanceDirectory);

    public static DomainDefinition Build(string file, Guid instanceId, string directory)
    {
        var (spec, settings) = All[file];
        return GuestConfigBuilder.Build(spec(instanceId, directory), settings, Specs.CreatedAt);
    }
}

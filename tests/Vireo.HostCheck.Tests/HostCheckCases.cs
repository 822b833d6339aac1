using Vireo.Configuration.Options;

namespace Vireo.HostCheck.Tests;

/// <summary>Each golden case: a fixture host and the configuration judged against it.</summary>
internal static class HostCheckCases
{
    public static readonly HostCheckConfig Kvm = new() { VirtType = VirtType.Kvm, InstancesPath = "/var/lib/nova/instances" };

    public static readonly HostCheckConfig Qemu = Kvm with { VirtType = VirtType.Qemu };

    private static IReadOnlyList<CpuFeatureFlag> Require(string flag) => [new CpuFeatureFlag(flag, CpuFeaturePolicy.Require)];

    /// <summary>Golden name (host-check/NAME.txt and .json) -> fixture and configuration.</summary>
    public static readonly IReadOnlyDictionary<string, (string Fixture, HostCheckConfig Config)> All =
        new Dictionary<string, (string, HostCheckConfig)>(StringComparer.Ordinal)
        {
            ["intel-vmx.kvm"] = ("intel-vmx", Kvm),
            ["intel-vmx.qemu"] = ("intel-vmx", Qemu),
            ["amd-svm.kvm"] = ("amd-svm", Kvm),
            ["power8-powernv.kvm"] = ("power8-powernv", Kvm),
            ["firmware-off.kvm"] = ("firmware-off", Kvm),
            ["firmware-off.qemu"] = ("firmware-off", Qemu),
            ["modules-not-loaded.kvm"] = ("modules-not-loaded", Kvm),
            ["dev-kvm-root-0600.kvm"] = ("dev-kvm-root-0600", Kvm),
            ["dev-kvm-root-0600-no-udevd.kvm"] = ("dev-kvm-root-0600-no-udevd", Kvm),
            ["vhost-net-missing.kvm"] = ("vhost-net-missing", Kvm),
            ["probe-never-prints.kvm"] = ("probe-never-prints", Kvm),
            ["this-machine.kvm"] = ("this-machine", Kvm),
            ["this-machine.qemu"] = ("this-machine", Qemu),
            ["this-machine.qemu-host-passthrough"] = ("this-machine", Qemu with { CpuMode = CpuMode.HostPassthrough }),
            // Nested on (kvm_intel nested=Y, host-model has vmx) and off (nested=N, host-model without vmx), against each cpu_mode.
            ["nested-on.host-passthrough"] = ("intel-vmx", Kvm with { CpuMode = CpuMode.HostPassthrough }),
            ["nested-on.host-model"] = ("intel-vmx", Kvm with { CpuMode = CpuMode.HostModel }),
            ["nested-on.custom"] = ("intel-vmx", Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["Nehalem"] }),
            ["nested-on.custom-vmx"] = ("intel-vmx", Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["Nehalem"], ExtraFlags = Require("vmx") }),
            ["nested-on.none"] = ("intel-vmx", Kvm with { CpuMode = CpuMode.None }),
            ["nested-off.host-passthrough"] = ("intel-vmx-nested-off", Kvm with { CpuMode = CpuMode.HostPassthrough }),
            ["nested-off.host-model"] = ("intel-vmx-nested-off", Kvm with { CpuMode = CpuMode.HostModel }),
            ["nested-off.host-model-vmx"] = ("intel-vmx-nested-off", Kvm with { CpuMode = CpuMode.HostModel, ExtraFlags = Require("vmx") }),
            ["nested-off.custom"] = ("intel-vmx-nested-off", Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["Nehalem"] }),
            ["nested-off.none"] = ("intel-vmx-nested-off", Kvm with { CpuMode = CpuMode.None }),
        };

    public static HostCheckReport Evaluate(string name)
    {
        var (fixture, config) = All[name];
        return HostEvaluation.Evaluate(FixtureHost.Load(fixture, config), config);
    }
}

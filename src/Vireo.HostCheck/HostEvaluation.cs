using System.Globalization;
using Vireo.Configuration.Options;
using Vireo.Core;

namespace Vireo.HostCheck;

/// <summary>
/// The pure decision: facts + configuration -> checks and a recommendation. No IO, no clock:
/// the same facts always give the same report (golden files hold it for fixture hosts).
/// Each check says what it found, where, with the value; each WARN/FAIL adds one sentence of fix.
/// </summary>
public static partial class HostEvaluation
{
    public static HostCheckReport Evaluate(HostFacts facts, HostCheckConfig config)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(config);
        var context = new Context(facts, config);
        HostCheck[] checks =
        [
            CpuVirtualization(context),
            KvmModules(context),
            KvmDevice(context),
            KvmAccess(context),
            Nested(context),
            QemuConfinement(context),
            VhostNet(context),
            Tun(context),
            LibvirtConnection(context),
            LibvirtVersion(context),
            QemuVersion(context),
            HvmGuest(context),
            CpuModeSupported(context),
            QemuImg(context),
            InstancesPath(context),
            DirectIo(context),
            ImagesType(context),
            Probe(context),
        ];
        return new HostCheckReport(config, context.Arch, checks, HostRecommender.Recommend(facts, config), facts.Libvirt.Answered);
    }

    /// <summary>The KVM prerequisites read from files (CPU, modules, /dev/kvm and its access), judged as if virt_type were kvm.</summary>
    public static IReadOnlyList<HostCheck> KvmPrerequisites(HostFacts facts, HostCheckConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var context = new Context(facts, config with { VirtType = VirtType.Kvm });
        return [CpuVirtualization(context), KvmModules(context), KvmDevice(context), KvmAccess(context)];
    }

    /// <summary>Facts and configuration with the names every check uses.</summary>
    private sealed class Context(HostFacts facts, HostCheckConfig config)
    {
        public HostFacts Facts { get; } = facts;

        public HostCheckConfig Config { get; } = config;

        public KernelFacts Kernel => Facts.Kernel;

        public CpuFacts Cpu => Facts.Kernel.Cpu;

        public LibvirtFacts Libvirt => Facts.Libvirt;

        public string Arch => Cpu.Arch;

        public bool Kvm => Config.VirtType == Configuration.Options.VirtType.Kvm;

        public string VirtType => Config.VirtTypeName;

        public CpuMode CpuMode => Config.EffectiveCpuMode(Arch);

        public string CpuModeText => CpuModes.NovaName(CpuMode) + (Config.CpuMode is null ? " (Nova's default)" : "");

        /// <summary>The vendor KVM module this CPU needs, or null on architectures without one.</summary>
        public VendorModule? Vendor { get; } = VendorModule.For(facts.Kernel.Cpu);

        /// <summary>The sentence that moves a kvm configuration to TCG, with the proof when the qemu probe ran.</summary>
        public string UseQemu
        {
            get
            {
                var probe = Facts.Probes.GetValueOrDefault("qemu");
                var proof = probe?.Outcome == ProbeOutcome.Passed ? $"; the probe guest ran to its marker under qemu in {Seconds(probe.Elapsed)}" : "";
                return $"set virt_type = qemu in [libvirt] (guests then run emulated by TCG: slower, but they run{proof})";
            }
        }
    }

    /// <param name="Module">With underscores, as /sys/module names it.</param>
    /// <param name="ModprobeName">As the seed writes it for modprobe and /etc/modules.</param>
    /// <param name="Flag">The /proc/cpuinfo flag it needs (x86), or null.</param>
    /// <param name="Feature">How firmware setup menus call it.</param>
    private sealed record VendorModule(string Module, string ModprobeName, string? Flag, string Feature)
    {
        public static VendorModule? For(CpuFacts cpu)
        {
            if (cpu.IsX86)
            {
                if (cpu.HasFlag("vmx") || cpu.Vendor == "GenuineIntel")
                {
                    return new VendorModule("kvm_intel", "kvm-intel", "vmx", "VT-x");
                }

                if (cpu.HasFlag("svm") || cpu.Vendor is "AuthenticAMD" or "HygonGenuine")
                {
                    return new VendorModule("kvm_amd", "kvm-amd", "svm", "AMD-V (SVM)");
                }

                return null;
            }

            return cpu.IsPower ? new VendorModule("kvm_hv", "kvm-hv", null, "KVM-HV") : null;
        }
    }

    private static HostCheck Check(string name, string title, CheckStatus status, string detail, string? fix = null, bool needsLibvirt = false) =>
        new(name, title, status, detail, status is CheckStatus.Warn or CheckStatus.Fail ? fix : null, needsLibvirt);

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");

    private static string Node(DeviceNode node) => $"{node.ModeText} {node.Owner}:{node.Group}";

    private static string Join(IEnumerable<string> items) => string.Join(", ", items);
}

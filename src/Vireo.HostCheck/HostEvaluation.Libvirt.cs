using Vireo.Configuration.Options;
using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.HostCheck;

/// <summary>What libvirt answers: reachable, versions (Nova's gates), the seed's "hvm" error, the cpu_mode.</summary>
public static partial class HostEvaluation
{
    /// <summary>Nova's MIN_LIBVIRT_VERSION / MIN_QEMU_VERSION and the next minimums it warns about (Nova: MIN_LIBVIRT_VERSION and MIN_QEMU_VERSION in nova/virt/libvirt/driver.py).</summary>
    public static readonly Version MinLibvirt = new(8, 0, 0);
    public static readonly Version NextMinLibvirt = new(10, 0, 0);
    public static readonly Version MinQemu = new(6, 2, 0);
    public static readonly Version NextMinQemu = new(8, 2, 2);

    private static string StartLibvirt(Context c) =>
        $"start libvirtd (`systemctl start libvirtd`, or without systemd `virtlogd --daemon && libvirtd --daemon`) or correct [libvirt] connection_uri (now {c.Libvirt.Uri})";

    private static HostCheck NoAnswer(Context c, string name, string title) =>
        Check(name, title, CheckStatus.Fail, $"unknown: libvirt does not answer at {c.Libvirt.Uri}", StartLibvirt(c), needsLibvirt: true);

    private static HostCheck LibvirtConnection(Context c)
    {
        const string name = "libvirt.connection";
        const string title = "libvirt answers";
        return c.Libvirt.Answered
            ? Check(name, title, CheckStatus.Pass, $"libvirt answers at {c.Libvirt.Uri}", needsLibvirt: true)
            : Check(name, title, CheckStatus.Fail, $"libvirt does not answer at {c.Libvirt.Uri}: {c.Libvirt.Error}", StartLibvirt(c), needsLibvirt: true);
    }

    private static HostCheck LibvirtVersion(Context c) =>
        VersionCheck(c, "libvirt.version", "libvirt version", "libvirt", c.Libvirt.LibvirtVersion, MinLibvirt, NextMinLibvirt);

    private static HostCheck QemuVersion(Context c) =>
        VersionCheck(c, "qemu.version", "QEMU version", "QEMU", c.Libvirt.QemuVersion, MinQemu, NextMinQemu);

    private static HostCheck VersionCheck(Context c, string name, string title, string what, Version? version, Version minimum, Version next)
    {
        if (!c.Libvirt.Answered || version is null)
        {
            return NoAnswer(c, name, title);
        }

        if (version < minimum)
        {
            return Check(name, title, CheckStatus.Fail, $"{what} {version} is older than {minimum}, the oldest Nova supports",
                $"upgrade {what} to {next} or later (at least {minimum})", needsLibvirt: true);
        }

        return version < next
            ? Check(name, title, CheckStatus.Warn, $"{what} {version} meets Nova's minimum {minimum} but not its next minimum {next}",
                $"plan an upgrade to {what} {next} or later before Nova's next minimum applies", needsLibvirt: true)
            : Check(name, title, CheckStatus.Pass, $"{what} {version} (Nova's minimum {minimum}, next minimum {next})", needsLibvirt: true);
    }

    private static HostCheck HvmGuest(Context c)
    {
        const string name = "libvirt.guest";
        const string title = "hvm guest for virt_type";
        if (!c.Libvirt.Answered)
        {
            return NoAnswer(c, name, title);
        }

        var arch = c.Libvirt.HostArch ?? c.Arch;
        var types = c.Libvirt.Guests.Where(g => g.OsType == "hvm" && g.Arch == arch).SelectMany(g => g.DomainTypes).Distinct().Order(StringComparer.Ordinal).ToList();
        if (types.Contains(c.VirtType, StringComparer.Ordinal))
        {
            return Check(name, title, CheckStatus.Pass,
                $"libvirt's capabilities offer an hvm guest for {arch} with domain type {c.VirtType} (domain types: {Join(types)})", needsLibvirt: true);
        }

        var offered = types.Count == 0 ? "none at all" : $"only {Join(types)}";
        var fix = c.Kvm
            ? $"load the KVM modules and make /dev/kvm usable (see the kvm.* checks), then restart libvirtd so it probes again; or {c.UseQemu}"
            : $"install QEMU for {arch} (Debian: qemu-system-x86) and restart libvirtd";
        return Check(name, title, CheckStatus.Fail,
            $"libvirt's capabilities have no hvm guest for {arch} with domain type {c.VirtType} ({offered}): every boot would fail with \"no supported architecture for os type 'hvm'\" (newer libvirt: \"could not find capabilities for domaintype={c.VirtType}\"), which is what missing KVM modules look like",
            fix, needsLibvirt: true);
    }

    private static HostCheck CpuModeSupported(Context c)
    {
        const string name = "libvirt.cpu-mode";
        const string title = "cpu_mode supported for virt_type";
        if (!c.Libvirt.Answered)
        {
            return NoAnswer(c, name, title);
        }

        var caps = c.Libvirt.DomainCapabilities.GetValueOrDefault(c.VirtType);
        if (caps?.Cpu is not { } cpu)
        {
            return Check(name, title, CheckStatus.Fail,
                $"libvirt gives no domain capabilities for virt_type={c.VirtType}: {caps?.Error ?? "not asked"}",
                c.Kvm ? $"make KVM usable (see the kvm.* checks), or {c.UseQemu}" : "install QEMU for this architecture and restart libvirtd",
                needsLibvirt: true);
        }

        var problems = new List<(string Detail, string Fix)>();
        string found;
        var hostModelText = cpu.HostModel?.Model is { } hm ? $"host-model resolves to {hm}{(cpu.HostModel.Vendor is { } v ? $" ({v})" : "")}" : "host-model is unsupported";
        switch (c.CpuMode)
        {
            case CpuMode.HostPassthrough:
                found = $"cpu_mode={c.CpuModeText}: host-passthrough is supported='{(cpu.HostPassthroughSupported ? "yes" : "no")}' for virt_type={c.VirtType}";
                if (!cpu.HostPassthroughSupported)
                {
                    problems.Add(($"{found}: libvirt refuses to start such guests",
                        cpu.HostModelSupported ? $"set cpu_mode = host-model ({hostModelText} here)" : "set cpu_mode = custom with a model domain capabilities call usable"));
                }

                break;
            case CpuMode.HostModel:
                found = $"cpu_mode={c.CpuModeText}: {hostModelText} for virt_type={c.VirtType}";
                if (!cpu.HostModelSupported)
                {
                    problems.Add(($"cpu_mode={c.CpuModeText} is not supported for virt_type={c.VirtType}",
                        cpu.HostPassthroughSupported ? "set cpu_mode = host-passthrough" : "set cpu_mode = custom with a model domain capabilities call usable"));
                }

                break;
            case CpuMode.Custom:
                found = $"cpu_mode=custom, cpu_models = {Join(c.Config.CpuModels)}";
                var usable = cpu.CustomModels.Where(m => m.Usable == CpuModelUsability.Yes).Select(m => m.Name).ToList();
                var suggestion = usable.Count == 0 ? "" : $" (usable here: {Join(usable.Take(8))})";
                foreach (var model in c.Config.CpuModels)
                {
                    var info = cpu.CustomModels.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase));
                    if (info is null)
                    {
                        problems.Add(($"cpu_models names {model}, which libvirt does not know for {c.Libvirt.HostArch ?? c.Arch}", $"choose a model from `virsh domcapabilities --virttype {c.VirtType}`{suggestion}"));
                    }
                    else if (info.Usable == CpuModelUsability.No)
                    {
                        problems.Add(($"cpu_models names {info.Name}, which is usable='no' for virt_type={c.VirtType}: this host cannot provide all its features", $"choose a usable model{suggestion}"));
                    }
                }

                break;
            default:
                found = "cpu_mode=none: QEMU's default CPU model";
                break;
        }

        foreach (var comparison in c.Libvirt.Comparisons.Where(x => x.VirtType == c.VirtType))
        {
            if (comparison is { Result: { Verdict: CpuComparisonVerdict.Incompatible, Missing: var missingFeatures } })
            {
                var missing = missingFeatures.Count == 0 ? "" : $" ({Join(missingFeatures)} cannot be provided)";
                problems.Add((
                    $"compareHypervisorCPU calls \"{comparison.Cpu}\" incompatible with what virt_type={c.VirtType} provides{missing}: {(c.Kvm ? "libvirt refuses such guests" : "QEMU would start such guests silently without the missing features")}",
                    missingFeatures.Count == 0
                        ? $"drop the flags virt_type={c.VirtType} cannot provide from cpu_model_extra_flags, or choose a model `virsh domcapabilities --virttype {c.VirtType}` lists as usable"
                        : $"drop {Join(missingFeatures)} from cpu_model_extra_flags (virt_type={c.VirtType} cannot provide {(missingFeatures.Count == 1 ? "it" : "them")})"));
            }
            else if (comparison.Error is { } error && !error.Contains("not supported", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(($"libvirt rejects \"{comparison.Cpu}\": {error}", "correct cpu_models or cpu_model_extra_flags (libvirt's feature names are lower case, e.g. pcid)"));
            }
        }

        if (problems.Count == 0)
        {
            var compared = c.Libvirt.Comparisons.Where(x => x.VirtType == c.VirtType && x.Result is { Compatible: true }).Select(x => x.Cpu).ToList();
            var comparedText = compared.Count == 0 ? "" : $"; compareHypervisorCPU accepts {Join(compared.Select(x => $"\"{x}\""))}";
            return Check(name, title, CheckStatus.Pass, found + comparedText, needsLibvirt: true);
        }

        return Check(name, title, CheckStatus.Fail, string.Join("; ", problems.Select(p => p.Detail)), problems[0].Fix, needsLibvirt: true);
    }
}

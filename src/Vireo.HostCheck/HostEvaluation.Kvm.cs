using Vireo.Configuration.Options;
using Vireo.Core;

namespace Vireo.HostCheck;

/// <summary>The seed's "Enable KVM" steps as checks: CPU support, modules, /dev/kvm and who may open it, nested guests.</summary>
public static partial class HostEvaluation
{
    private const string PvmNote = "kvm_pvm (PVM) gives /dev/kvm to virtual machines without VT-x/AMD-V, but runs only PVM-enabled guest kernels at speed";

    private static HostCheck CpuVirtualization(Context c)
    {
        const string name = "cpu.virtualization";
        const string title = "hardware virtualization (vmx/svm, PowerNV)";
        var cpu = c.Cpu;
        string detail;
        string fix;
        if (cpu.IsX86)
        {
            var found = new[] { "vmx", "svm" }.Where(cpu.HasFlag).ToList();
            var what = $"{cpu.Vendor ?? "unknown vendor"}, {cpu.ModelName ?? "unknown model"}";
            if (found.Count > 0)
            {
                var has = $"/proc/cpuinfo has the {Join(found)} flag ({what})";
                return c.Kvm ? Check(name, title, CheckStatus.Pass, has) : Check(name, title, CheckStatus.Skip, $"not needed for virt_type=qemu ({has})");
            }

            var feature = c.Vendor?.Feature ?? "VT-x/AMD-V";
            if (cpu.HasFlag("hypervisor"))
            {
                detail = $"/proc/cpuinfo has no vmx or svm flag ({what}) and has the flag hypervisor: this host is itself a virtual machine whose hypervisor does not pass {feature} through";
                fix = $"enable nested virtualization for this virtual machine on the outer host, or {c.UseQemu}";
            }
            else
            {
                detail = $"/proc/cpuinfo has no vmx or svm flag ({what}): the CPU lacks {feature} or the firmware has it switched off";
                fix = $"enable {feature} in the firmware setup (an option named Virtualization, VT, VMX or SVM) and power-cycle, or {c.UseQemu}";
            }
        }
        else if (cpu.IsPower)
        {
            var what = cpu.Processor ?? "POWER";
            if (cpu.Platform == "PowerNV")
            {
                var has = $"/proc/cpuinfo has platform: PowerNV ({what}): bare metal under OPAL, where KVM-HV runs";
                return c.Kvm ? Check(name, title, CheckStatus.Pass, has) : Check(name, title, CheckStatus.Skip, $"not needed for virt_type=qemu ({has})");
            }

            detail = $"/proc/cpuinfo has platform: {cpu.Platform ?? "(none)"} ({what}), not PowerNV: KVM-HV needs a bare-metal PowerNV host (an LPAR under PowerVM is pSeries)";
            fix = $"run Vireo on a PowerNV host (OPAL firmware), or {c.UseQemu}";
        }
        else
        {
            return Check(name, title, CheckStatus.Skip, $"no CPU flag check for {cpu.Arch}; /dev/kvm and the probe decide");
        }

        return c.Kvm
            ? Check(name, title, CheckStatus.Fail, detail, fix)
            : Check(name, title, CheckStatus.Skip, $"not needed for virt_type=qemu ({detail})");
    }

    private static HostCheck KvmModules(Context c)
    {
        const string name = "kvm.modules";
        const string title = "KVM kernel modules for this CPU";
        var k = c.Kernel;
        var loaded = HostFileReader.InterestingModules.Where(m => m.StartsWith("kvm", StringComparison.Ordinal) && k.HasModule(m)).ToList();
        var loadedText = loaded.Count == 0 ? "no kvm module is in /sys/module" : $"/sys/module has {Join(loaded)}";
        if (!c.Kvm)
        {
            return Check(name, title, CheckStatus.Skip, $"not needed for virt_type=qemu ({loadedText})");
        }

        var vendor = c.Vendor;
        var wanted = vendor is null ? ["kvm"] : new[] { "kvm", vendor.Module };
        if (wanted.All(k.HasModule))
        {
            var status = CheckStatus.Pass;
            return Check(name, title, status, $"{loadedText}, as {(vendor is null ? "KVM" : $"this {c.Cpu.Vendor ?? c.Cpu.Arch} CPU")} needs");
        }

        var missing = wanted.Where(m => !k.HasModule(m)).ToList();
        var modprobe = string.Join(" && ", missing.Select(m => $"modprobe {m.Replace('_', '-')}"));
        var lines = string.Join(" and ", missing.Select(m => $"`{m.Replace('_', '-')}`"));
        if (vendor is not null && k.HasModule("kvm_pvm"))
        {
            return Check(name, title, CheckStatus.Fail,
                $"{vendor.Module} is not loaded but kvm_pvm is ({loadedText}): {PvmNote}",
                $"load {vendor.Module} on a host with {vendor.Feature} (`modprobe {vendor.ModprobeName}`), or {c.UseQemu}");
        }

        if (vendor is { Module: "kvm_hv" } && k.HasModule("kvm_pr"))
        {
            return Check(name, title, CheckStatus.Warn,
                $"kvm_hv is not loaded but kvm_pr is ({loadedText}): PR KVM emulates privileged instructions and is much slower than KVM-HV",
                "load kvm_hv on a PowerNV host (`modprobe kvm-hv`, and the line `kvm-hv` in /etc/modules)");
        }

        var needsFlag = vendor?.Flag is { } flag && !c.Cpu.HasFlag(flag);
        var fix = needsFlag
            ? $"enable {vendor!.Feature} first (see cpu.virtualization): {vendor.Module} refuses to load without it; then run `{modprobe}`"
            : $"run `{modprobe}` and add the lines {lines} to /etc/modules so they load at boot";
        return Check(name, title, CheckStatus.Fail, $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not loaded ({loadedText})", fix);
    }

    private static HostCheck KvmDevice(Context c)
    {
        const string name = "kvm.device";
        const string title = "/dev/kvm exists";
        var node = c.Kernel.Kvm;
        if (!c.Kvm)
        {
            return Check(name, title, CheckStatus.Skip,
                $"not needed for virt_type=qemu ({(node is null ? "/dev/kvm does not exist" : $"/dev/kvm is {Node(node)}")})");
        }

        if (node is null)
        {
            var modulesLoaded = c.Kernel.HasModule("kvm") && (c.Vendor is null || c.Kernel.HasModule(c.Vendor.Module));
            string fix;
            if (!modulesLoaded)
            {
                fix = "load the KVM modules (see kvm.modules): they create /dev/kvm";
            }
            else if (c.Kernel.UdevRunning)
            {
                fix = "run `udevadm trigger` so udev creates the node";
            }
            else
            {
                fix = "create it: `mknod /dev/kvm c 10 232 && chgrp kvm /dev/kvm && chmod 0660 /dev/kvm` (no udevd runs here to do it)";
            }

            return Check(name, title, CheckStatus.Fail, "/dev/kvm does not exist: QEMU cannot use KVM, and every kvm guest fails to start", fix);
        }

        return node.Kind == NodeKind.CharacterDevice
            ? Check(name, title, CheckStatus.Pass, $"/dev/kvm is {Node(node)}")
            : Check(name, title, CheckStatus.Fail, $"/dev/kvm is not a character device ({Node(node)})",
                "remove it and create the node: `rm /dev/kvm && mknod /dev/kvm c 10 232 && chgrp kvm /dev/kvm && chmod 0660 /dev/kvm`");
    }

    private static HostCheck KvmAccess(Context c)
    {
        const string name = "kvm.access";
        const string title = "/dev/kvm usable by QEMU's user";
        var node = c.Kernel.Kvm;
        var q = c.Facts.Qemu;
        if (!c.Kvm)
        {
            return Check(name, title, CheckStatus.Skip, $"not needed for virt_type=qemu (QEMU runs as {q.User})");
        }

        if (node is null)
        {
            return Check(name, title, CheckStatus.Skip, "no /dev/kvm (see kvm.device)");
        }

        var who = $"QEMU runs as {q.User} ({q.Source})";
        if (q.IsRoot)
        {
            return Check(name, title, CheckStatus.Pass, $"{who}, which opens /dev/kvm whatever its mode ({Node(node)})");
        }

        const int readWrite = 0b110;
        var ownerOk = node.Owner == q.User && ((node.Mode >> 6) & readWrite) == readWrite;
        var groupRw = ((node.Mode >> 3) & readWrite) == readWrite;
        var inGroup = q.Groups.Contains(node.Group, StringComparer.Ordinal);
        var otherOk = (node.Mode & readWrite) == readWrite;
        var groups = $"groups {Join(q.Groups)}";
        if (ownerOk || otherOk)
        {
            return Check(name, title, CheckStatus.Pass, $"/dev/kvm is {Node(node)}; {who}");
        }

        if (groupRw && inGroup)
        {
            if (q.SessionGroups is { } session && !session.Contains(node.Group, StringComparer.Ordinal))
            {
                return Check(name, title, CheckStatus.Fail,
                    $"/dev/kvm is {Node(node)} and /etc/group puts {q.User} in {node.Group}, but this login session's groups ({Join(session)}) predate that change",
                    "log in again for the group change to take effect (or run `newgrp kvm`)");
            }

            return Check(name, title, CheckStatus.Pass, $"/dev/kvm is {Node(node)}; {who}, {groups}");
        }

        var failure = $"/dev/kvm is {Node(node)} and {who}, {groups}: QEMU cannot open it, so every kvm guest fails with \"Could not access KVM kernel module: Permission denied\"";
        string fix;
        if (node.Group != "kvm" || !groupRw)
        {
            var regroup = c.Kernel.UdevRunning
                ? "run `udevadm trigger` (udev's rule gives /dev/kvm group kvm and mode 0660)"
                : "run `chgrp kvm /dev/kvm && chmod 0660 /dev/kvm` (no udevd runs here, so `udevadm trigger` would change nothing; make it permanent with a udev rule or a boot script)";
            fix = q.Groups.Contains("kvm", StringComparer.Ordinal) ? regroup : $"{regroup}, and add QEMU's user to that group: `usermod -aG kvm {q.User}`";
        }
        else
        {
            fix = $"add QEMU's user to group {node.Group}: `usermod -aG {node.Group} {q.User}`, then restart libvirtd";
        }

        return Check(name, title, CheckStatus.Fail, failure, fix);
    }

    private static HostCheck Nested(Context c)
    {
        const string name = "kvm.nested";
        const string title = "nested virtualization vs cpu_mode";
        if (!c.Kvm)
        {
            return Check(name, title, CheckStatus.Skip, "virt_type=qemu: nested KVM does not apply");
        }

        var vendor = c.Vendor;
        if (vendor is null || !c.Kernel.HasModule(vendor.Module))
        {
            var why = c.Kernel.HasModule("kvm_pvm") ? "kvm_pvm has no nested parameter" : $"{vendor?.Module ?? "no vendor KVM module"} is not loaded";
            return Check(name, title, CheckStatus.Skip, $"no nested parameter to read ({why})");
        }

        var parameter = $"/sys/module/{vendor.Module}/parameters/nested";
        if (c.Kernel.Parameter(vendor.Module, "nested") is not { } value)
        {
            return Check(name, title, CheckStatus.Skip, $"{parameter} does not exist: this {vendor.Module} cannot run nested guests");
        }

        var on = value is "Y" or "y" or "1";
        var setting = $"{vendor.Module} nested={value}";
        var flag = vendor.Flag ?? "the virtualization feature";
        var requested = vendor.Flag is { } f && c.Config.RequiresFlag(f);
        var disabled = vendor.Flag is { } d && c.Config.DisablesFlag(d);
        var mode = c.CpuModeText;
        if (!on)
        {
            if (requested)
            {
                return Check(name, title, CheckStatus.Fail,
                    $"cpu_model_extra_flags requires {flag} but {setting} ({parameter}): KVM cannot give guests {flag}, and libvirt refuses to start a guest whose CPU lacks a required feature",
                    $"add the line `options {vendor.Module} nested=1` to /etc/modprobe.d/kvm.conf and reload the module with no guest running (`modprobe -r {vendor.Module} && modprobe {vendor.Module}`) or reboot; or drop {flag} from cpu_model_extra_flags");
            }

            return Check(name, title, CheckStatus.Pass,
                $"{setting}: guests cannot run their own KVM guests with cpu_mode={mode}; to allow it, add `options {vendor.Module} nested=1` to /etc/modprobe.d/kvm.conf");
        }

        if (disabled)
        {
            return Check(name, title, CheckStatus.Pass, $"{setting}, but cpu_model_extra_flags disables {flag}: guests cannot nest, as configured");
        }

        var (exposed, how) = Exposes(c, flag);
        const string limits = "while nested guests run, their host guest cannot live-migrate or resume from suspend";
        return exposed switch
        {
            true => Check(name, title, CheckStatus.Pass, $"{setting} and {how}: guests can run their own KVM guests ({limits})"),
            false => Check(name, title, CheckStatus.Pass,
                $"{setting}, but {how}: guests cannot nest; to let them, add cpu_model_extra_flags = {flag}"),
            null => Check(name, title, CheckStatus.Pass, $"{setting}; {how}"),
        };
    }

    /// <summary>Whether the configured guest CPU carries vmx/svm: true, false, or null when QEMU's default decides.</summary>
    private static (bool? Exposed, string How) Exposes(Context c, string flag)
    {
        if (c.Config.RequiresFlag(flag))
        {
            return (true, $"cpu_model_extra_flags requires {flag} (cpu_mode={c.CpuModeText})");
        }

        switch (c.CpuMode)
        {
            case CpuMode.HostPassthrough:
                return (true, $"cpu_mode=host-passthrough passes {flag} through");
            case CpuMode.HostModel:
                var hostModel = c.Libvirt.DomainCapabilities.GetValueOrDefault("kvm")?.Cpu?.HostModel;
                if (hostModel is null)
                {
                    return (false, $"host-model's CPU is unknown (libvirt gave no domain capabilities for kvm), so {flag} cannot be confirmed");
                }

                var inFeatures = hostModel.Features.Any(x => x.Name == flag && x.Policy != DomainXml.CpuFeaturePolicy.Disable);
                var inModel = hostModel.Model is { } m && c.Facts.CpuModelFeatures.GetValueOrDefault(m)?.Contains(flag) == true;
                return inFeatures || inModel
                    ? (true, $"cpu_mode={c.CpuModeText} resolves to {hostModel.Model}, which has {flag}")
                    : (false, $"cpu_mode={c.CpuModeText} resolves to {hostModel.Model} without {flag}");
            case CpuMode.Custom:
                var model = c.Config.CpuModels.FirstOrDefault() ?? "(no model)";
                var features = c.Facts.CpuModelFeatures.GetValueOrDefault(model);
                return features?.Contains(flag) == true
                    ? (true, $"cpu_mode=custom model {model} has {flag}")
                    : (false, $"cpu_mode=custom model {model} has no {flag}");
            default:
                return (null, $"cpu_mode=none: QEMU's default CPU model decides whether guests see {flag}");
        }
    }
}

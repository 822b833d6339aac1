using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.CpuModels;

/// <summary>The host's <c>/sys/module/kvm_intel|kvm_amd/parameters/nested</c>: Y/1 on, N/0 off, or absent.</summary>
/// <param name="Module">kvm_intel or kvm_amd when one is loaded; null when neither is (e.g. kvm_pvm hosts).</param>
/// <param name="Value">The file's content as the kernel prints it; null when there is no such file.</param>
public sealed record NestedParameter(string? Module, string? Value)
{
    public bool Enabled => Value is "Y" or "y" or "1";

    public bool Absent => Value is null;

    /// <summary>The file read; null when no vendor module is loaded.</summary>
    public string? Path => Module is null ? null : $"/sys/module/{Module}/parameters/nested";

    public string Describe() => Module is null
        ? "neither kvm_intel nor kvm_amd is loaded, so there is no nested parameter"
        : Value is null ? $"{Path} does not exist" : $"{Module} nested={Value}";
}

/// <summary>What the nested-guest decision looks at, read at the edges (CPU flags, /sys/module, the CPU map, libvirt's domain capabilities).</summary>
public sealed record NestedFacts
{
    /// <summary>virt_type = kvm; false means qemu (TCG).</summary>
    public required bool Kvm { get; init; }

    /// <summary>The cpu_mode in effect (Nova's default resolved).</summary>
    public required CpuMode Mode { get; init; }

    /// <summary>cpu_model_extra_flags as the guest CPU carries them (lower-cased, with their policy).</summary>
    public IReadOnlyList<CpuFeature> ExtraFlags { get; init; } = [];

    /// <summary>The host's /proc/cpuinfo flags (only vmx and svm matter here).</summary>
    public IReadOnlySet<string> HostFlags { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public NestedParameter Nested { get; init; } = new(null, null);

    /// <summary>The named model a custom or host-model guest gets (custom: the first of cpu_models; host-model: what libvirt resolves it to).</summary>
    public string? Model { get; init; }

    /// <summary>
    /// That model's features as the guest gets them before cpu_model_extra_flags: the CPU map's
    /// model features, plus host-model's own added features minus its disabled ones; null when unknown
    /// (host-model without an answer from libvirt, or a model the map lacks).
    /// </summary>
    public IReadOnlySet<string>? ModelFeatures { get; init; }

    /// <summary>libvirt's domain capabilities say host-passthrough works for this virt_type; null when libvirt did not answer.</summary>
    public bool? HostPassthroughSupported { get; init; }

    /// <summary>Features of QEMU's default x86 CPU (qemu64 in the CPU map), which a guest with cpu_mode=none runs with.</summary>
    public IReadOnlySet<string>? DefaultModelFeatures { get; init; }
}

/// <param name="Exposed">Whether vmx or svm will reach guests under the current configuration; null when it cannot be told.</param>
/// <param name="Feature">vmx or svm: the one exposed, or else the one this host could give.</param>
/// <param name="Reason">One sentence: why.</param>
/// <param name="Change">One sentence: what to change to get nested guests; null when they already get it or nothing can.</param>
public sealed record NestedReport(NestedParameter HostParameter, bool? Exposed, string? Feature, string Reason, string? Change);

/// <summary>
/// Whether vmx/svm reaches guests, per the seed's "Nested guest support": host-passthrough
/// passes the host's through once the KVM module has nested=1; host-model when the model it
/// resolves to has it or cpu_model_extra_flags adds it; custom through cpu_model_extra_flags
/// (e.g. <c>vmx,pcid</c>); cpu_mode=none never asks for it (Nova drops the extra flags). What the
/// hypervisor can give decides too, as measured here: KVM gives the host's own vmx/svm only with
/// nested=1; TCG emulates svm but not vmx (libvirt refuses to start host-model + vmx, and drops a
/// custom model's vmx), and cpu_mode=none's qemu64 carries svm, so under TCG even none gets svm.
/// </summary>
public static class NestedExposure
{
    /// <summary>The two features that let a guest run its own KVM guests (Intel VT-x, AMD-V).</summary>
    public static readonly IReadOnlyList<string> VirtualizationFeatures = CpuFeatureNames.Virtualization;

    public static NestedReport Decide(NestedFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (exposed, feature, reason, change) = facts.Mode switch
        {
            CpuMode.None => None(facts),
            CpuMode.HostPassthrough => Passthrough(facts),
            CpuMode.HostModel => Named(facts, "cpu_mode=host-model"),
            _ => Named(facts, "cpu_mode=custom"),
        };
        return new NestedReport(facts.Nested, exposed, feature, reason, change);
    }

    /// <summary>The virtualization feature this host's hypervisor could give guests at all: KVM the host's own, TCG only svm.</summary>
    public static string? Wanted(NestedFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Kvm ? VirtualizationFeatures.FirstOrDefault(facts.HostFlags.Contains) : "svm";
    }

    /// <summary>Null when the hypervisor can give <paramref name="feature"/> to a guest; else the sentence part saying why not.</summary>
    private static string? CannotGive(NestedFacts facts, string feature)
    {
        if (!facts.Kvm)
        {
            return feature == "svm" ? null : "TCG (virt_type=qemu) does not emulate vmx";
        }

        if (!facts.HostFlags.Contains(feature))
        {
            return $"this host's CPU has no {feature} (/proc/cpuinfo)";
        }

        return facts.Nested.Enabled ? null : $"KVM gives guests {feature} only with nested=1 and {facts.Nested.Describe()}";
    }

    private static string EnableNested(NestedFacts facts) =>
        $"add `options {facts.Nested.Module ?? "kvm_intel"} nested=1` to /etc/modprobe.d/kvm.conf and reload the module with no guest running, or reboot";

    private static (bool?, string?, string, string?) None(NestedFacts facts)
    {
        var ignored = facts.ExtraFlags.Count > 0 ? " and ignores cpu_model_extra_flags" : "";
        var carried = VirtualizationFeatures.FirstOrDefault(f => facts.DefaultModelFeatures?.Contains(f) == true && CannotGive(facts, f) is null);
        if (carried is not null)
        {
            return (true, carried,
                $"cpu_mode=none leaves the CPU to QEMU's default qemu64{ignored}, and qemu64 carries {carried}, which {(facts.Kvm ? "KVM gives with nested=1" : "TCG emulates")}: guests get it by default, not by configuration",
                null);
        }

        var wanted = Wanted(facts);
        return (false, wanted,
            $"cpu_mode=none leaves the CPU to QEMU's default qemu64{ignored}, so vmx/svm cannot be asked for",
            wanted is null ? null : $"set cpu_mode = host-model with cpu_model_extra_flags = {wanted}, or cpu_mode = host-passthrough");
    }

    private static (bool?, string?, string, string?) Passthrough(NestedFacts facts)
    {
        if (!facts.Kvm || facts.HostPassthroughSupported == false)
        {
            return (false, null,
                $"cpu_mode=host-passthrough is not supported with virt_type={(facts.Kvm ? "kvm" : "qemu")} (libvirt's domain capabilities), so guests do not start at all",
                "set cpu_mode = host-model, whose CPU libvirt resolves for this virt_type");
        }

        if (Disabled(facts) is { } off)
        {
            return (false, off, $"cpu_model_extra_flags disables {off}", $"remove -{off} from cpu_model_extra_flags");
        }

        var feature = Wanted(facts);
        if (feature is null)
        {
            return (false, null, "this host's CPU has neither vmx nor svm (/proc/cpuinfo), so host-passthrough has none to pass",
                "run on a host with VT-x or AMD-V enabled in the firmware (for a virtual machine: enable nested virtualization on the outer host)");
        }

        return CannotGive(facts, feature) is { } why
            ? (false, feature, $"cpu_mode=host-passthrough passes {feature} through only when KVM may nest, and {why}", EnableNested(facts))
            : (true, feature, $"cpu_mode=host-passthrough passes the host's {feature} through and {facts.Nested.Describe()}", null);
    }

    private static (bool?, string?, string, string?) Named(NestedFacts facts, string mode)
    {
        if (Required(facts) is { } asked)
        {
            if (CannotGive(facts, asked) is not { } why)
            {
                return (true, asked, $"{mode} with cpu_model_extra_flags requiring {asked}", null);
            }

            var outcome = facts.Mode == CpuMode.HostModel
                ? "libvirt refuses to start such a guest (\"Host CPU does not provide required features\")"
                : facts.Kvm ? "the host check refuses the configuration" : "QEMU silently drops it and the guest runs without it";
            var fix = facts.Kvm && facts.HostFlags.Contains(asked) ? EnableNested(facts)
                : Wanted(facts) is { } other && other != asked ? $"replace {asked} with {other} in cpu_model_extra_flags"
                : $"remove {asked} from cpu_model_extra_flags";
            return (false, asked, $"cpu_model_extra_flags requires {asked} but {why}, so {outcome}", fix);
        }

        if (facts.ModelFeatures is not { } all)
        {
            return (null, Wanted(facts),
                facts.Mode == CpuMode.HostModel
                    ? "host-model's CPU is unknown because libvirt gave no domain capabilities, so whether it carries vmx/svm cannot be told"
                    : $"model {facts.Model ?? "(none)"} is not in libvirt's CPU map here, so whether it carries vmx/svm cannot be told",
                facts.Mode == CpuMode.HostModel ? "start libvirtd (scripts/setup-host) and run this again" : null);
        }

        var disabled = facts.ExtraFlags.Where(f => f.Policy is CpuFeaturePolicy.Disable or CpuFeaturePolicy.Forbid).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var carried = VirtualizationFeatures.FirstOrDefault(f => all.Contains(f) && !disabled.Contains(f));
        if (carried is not null && CannotGive(facts, carried) is null)
        {
            return (true, carried, $"{mode} resolves to {facts.Model}, which has {carried}", null);
        }

        if (carried is null && VirtualizationFeatures.FirstOrDefault(f => all.Contains(f) && disabled.Contains(f)) is { } off)
        {
            return (false, off, $"{mode} resolves to {facts.Model}, which has {off}, but cpu_model_extra_flags disables it", $"remove -{off} from cpu_model_extra_flags");
        }

        var wanted = Wanted(facts);
        var lacks = carried is null
            ? $"{mode} resolves to {facts.Model}, which has neither vmx nor svm"
            : $"{mode} resolves to {facts.Model}, whose {carried} {CannotGive(facts, carried)}";
        if (wanted is null)
        {
            return (false, null, $"{lacks}, and this host's CPU has neither to give",
                "run on a host with VT-x or AMD-V enabled in the firmware (for a virtual machine: enable nested virtualization on the outer host)");
        }

        var example = facts.Mode == CpuMode.Custom && wanted == "vmx" ? "vmx,pcid" : wanted;
        return CannotGive(facts, wanted) is { } blocked
            ? (false, wanted, $"{lacks}, and {blocked}", EnableNested(facts) + $", then add cpu_model_extra_flags = {example}")
            : (false, wanted, lacks, $"add cpu_model_extra_flags = {example}");
    }

    private static string? Required(NestedFacts facts) =>
        facts.ExtraFlags.FirstOrDefault(f => f.Policy is CpuFeaturePolicy.Require or CpuFeaturePolicy.Force
            && VirtualizationFeatures.Contains(f.Name, StringComparer.Ordinal))?.Name;

    private static string? Disabled(NestedFacts facts) =>
        facts.ExtraFlags.FirstOrDefault(f => f.Policy is CpuFeaturePolicy.Disable or CpuFeaturePolicy.Forbid
            && VirtualizationFeatures.Contains(f.Name, StringComparer.Ordinal))?.Name;
}

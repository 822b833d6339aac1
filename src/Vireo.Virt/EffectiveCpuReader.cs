using System.Xml;
using System.Xml.Linq;
using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.Virt;

/// <summary>
/// What a running guest's CPU really is, from two documents libvirt gives: the live domain XML,
/// where libvirt has expanded host-model into <c>mode='custom'</c> with a model, a vendor and
/// feature policies, and has turned into <c>policy='disable'</c> what QEMU could not give (pcid
/// and vmx under TCG here), and the defined (inactive) XML, which keeps the mode asked for.
/// Pure: the hypervisor adapter reads the documents and, for the running model, the features the
/// connected daemon gives it (<see cref="DaemonCpuFacts"/>); nothing here reads a CPU map.
/// </summary>
public static class EffectiveCpuReader
{
    /// <summary>The two features that let a guest run its own KVM guests (Intel VT-x, AMD-V).</summary>
    public static readonly IReadOnlyList<string> VirtualizationFeatures = CpuFeatureNames.Virtualization;

    /// <param name="liveModel">The running model's features as the daemon expands them (see <see cref="LiveModel"/>); null when unknown.</param>
    public static EffectiveGuestCpu Read(string liveDomainXml, string definedDomainXml, CpuModelFeatures? liveModel, DateTimeOffset recordedAt)
    {
        var (live, _, _, _) = CpuOf(liveDomainXml, "live domain XML");
        var (defined, _, _, metadataMode) = CpuOf(definedDomainXml, "defined domain XML");
        return new EffectiveGuestCpu(
            metadataMode ?? RequestedMode(defined),
            live is null ? "none" : ModeName(live.Mode),
            live?.Model,
            live?.Vendor,
            live is null ? [] : [.. live.Features.Select(f => new GuestCpuFeature(f.Name, PolicyName(f.Policy)))],
            Virtualization(live, liveModel),
            recordedAt);
    }

    /// <summary>
    /// The named model a running guest runs, with the virt type and architecture to expand it for;
    /// null when its CPU has no model (host-passthrough, no <c>&lt;cpu&gt;</c>) or the XML does not say.
    /// </summary>
    public static LiveCpuModel? LiveModel(string liveDomainXml)
    {
        var (live, arch, virtType, _) = CpuOf(liveDomainXml, "live domain XML");
        return live?.Model is { } model && arch is not null && virtType is not null && live.Mode is CpuMode.Custom
            ? new LiveCpuModel(virtType, arch, model)
            : null;
    }

    /// <summary>
    /// The mode a defined CPU asks for, in nova.conf's words, for guests whose metadata does not
    /// say (defined before Vireo wrote it there): Nova's cpu_mode=none writes a <c>&lt;cpu&gt;</c>
    /// with a topology only, which is custom without a model. libvirt fills in qemu64 when it
    /// stores such a definition, so a stored one reads as custom.
    /// </summary>
    public static string RequestedMode(CpuConfig? defined) => defined switch
    {
        null => "none",
        { Mode: CpuMode.Custom, Model: null } => "none",
        _ => ModeName(defined.Mode),
    };

    /// <summary>
    /// Whether vmx or svm reaches the guest: the running model's own features (as the connected
    /// daemon expands the model; EPYC and qemu64 carry svm) plus the features the running CPU
    /// requires, minus those it disables. Unknown for host-passthrough, whose features are the host's.
    /// </summary>
    /// <param name="model">The features of <paramref name="live"/>'s model; features of another model are not used.</param>
    public static GuestVirtualization Virtualization(CpuConfig? live, CpuModelFeatures? model)
    {
        if (live is null)
        {
            return new(null, null, "the running guest has no <cpu> element, so QEMU's built-in default CPU decides");
        }

        if (live.Mode is CpuMode.HostPassthrough or CpuMode.Maximum)
        {
            return new(null, null,
                $"{ModeName(live.Mode)} gives the guest the host's own CPU, so it sees vmx/svm exactly when the host's KVM offers it (the kvm_intel/kvm_amd nested parameter)");
        }

        var explicitly = live.Features.Where(f => VirtualizationFeatures.Contains(f.Name, StringComparer.Ordinal)).ToList();
        if (explicitly.FirstOrDefault(f => f.Policy is CpuFeaturePolicy.Require or CpuFeaturePolicy.Force) is { } required)
        {
            return new(true, required.Name, $"the running CPU requires {required.Name}");
        }

        var disabled = explicitly.Where(f => f.Policy is CpuFeaturePolicy.Disable or CpuFeaturePolicy.Forbid).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var known = live.Model is not null && model is not null && string.Equals(model.Model, live.Model, StringComparison.Ordinal) ? model : null;
        if (live.Model is not null && known is null)
        {
            return disabled.Count == VirtualizationFeatures.Count
                ? new(false, null, "the running CPU disables both vmx and svm")
                : new(null, null, $"libvirt did not expand model {live.Model}, so its own features (vmx/svm or not) are unknown");
        }

        if (VirtualizationFeatures.FirstOrDefault(f => known?.Has(f) == true && !disabled.Contains(f)) is { } carried)
        {
            return new(true, carried, $"model {live.Model} has {carried} as {known!.Source} expands it and the running CPU keeps it");
        }

        if (disabled.Count > 0)
        {
            var names = string.Join(" and ", VirtualizationFeatures.Where(disabled.Contains));
            return new(false, null, $"the running CPU disables {names} (libvirt turns off what the hypervisor cannot give, e.g. vmx under TCG)");
        }

        return new(false, null, live.Model is null
            ? "the running CPU has no model and requires neither vmx nor svm"
            : $"model {live.Model} has neither vmx nor svm and the running CPU adds neither");
    }

    private static (CpuConfig? Cpu, string? Arch, string? VirtType, string? MetadataMode) CpuOf(string domainXml, string what)
    {
        ArgumentNullException.ThrowIfNull(domainXml);
        XElement domain;
        try
        {
            domain = XElement.Parse(domainXml);
        }
        catch (XmlException e)
        {
            throw new VireoException(ErrorKind.Failed, $"libvirt's {what} is not well-formed ({e.Message}); the guest CPU cannot be read", e);
        }

        var arch = domain.Element("os")?.Element("type")?.Attribute("arch")?.Value;
        var virtType = domain.Attribute("type")?.Value;
        try
        {
            return (domain.Element("cpu") is { } cpu ? CpuXml.Parse(cpu) : null, arch, virtType, VireoMetadataXml.Extract(domain)?.CpuMode);
        }
        catch (DomainXmlException e)
        {
            throw new VireoException(ErrorKind.Failed, $"the <cpu> of libvirt's {what} cannot be read: {e.Message}", e);
        }
    }

    // Modes and policies as libvirt spells them in the XML they were read from (a parsed <cpu> is never mode none).
    private static string ModeName(CpuMode mode) => CpuXml.ModeName(mode);

    private static string PolicyName(CpuFeaturePolicy policy) => CpuXml.PolicyName(policy);
}

/// <summary>The named model of a running guest's CPU, with the virt type and architecture libvirt runs it under.</summary>
public sealed record LiveCpuModel(string VirtType, string Arch, string Model);

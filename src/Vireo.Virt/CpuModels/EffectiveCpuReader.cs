using System.Xml;
using System.Xml.Linq;
using Vireo.Core;
using Vireo.CpuModels;
using Vireo.DomainXml;

namespace Vireo.Virt.CpuModels;

/// <summary>
/// What a running guest's CPU really is, from two documents libvirt gives: the live domain XML,
/// where libvirt has expanded host-model into <c>mode='custom'</c> with a model, a vendor and
/// feature policies, and has turned into <c>policy='disable'</c> what QEMU could not give (pcid
/// and vmx under TCG here), and the defined (inactive) XML, which keeps the mode asked for.
/// Pure: the hypervisor adapter reads the documents, the CPU map comes from the caller.
/// </summary>
public static class EffectiveCpuReader
{
    /// <summary>The two features that let a guest run its own KVM guests (Intel VT-x, AMD-V).</summary>
    public static readonly IReadOnlyList<string> VirtualizationFeatures = NestedExposure.VirtualizationFeatures;

    public static EffectiveGuestCpu Read(string liveDomainXml, string definedDomainXml, CpuMapSet? maps, DateTimeOffset recordedAt)
    {
        var (live, arch, _) = CpuOf(liveDomainXml, "live domain XML");
        var (defined, _, metadataMode) = CpuOf(definedDomainXml, "defined domain XML");
        return new EffectiveGuestCpu(
            metadataMode ?? RequestedMode(defined),
            live is null ? "none" : ModeName(live.Mode),
            live?.Model,
            live?.Vendor,
            live is null ? [] : [.. live.Features.Select(f => new GuestCpuFeature(f.Name, PolicyName(f.Policy)))],
            Virtualization(live, arch is null ? null : maps?.ForGuestArch(arch)),
            recordedAt);
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
    /// Whether vmx or svm reaches the guest: the running model's own features (from libvirt's
    /// CPU map; EPYC and qemu64 carry svm) plus the features the running CPU requires, minus
    /// those it disables. Unknown for host-passthrough, whose features are the host's.
    /// </summary>
    public static GuestVirtualization Virtualization(CpuConfig? live, CpuMap? map)
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
        var model = live.Model is null ? null : map?.FindModel(live.Model);
        if (live.Model is not null && model is null)
        {
            return disabled.Count == VirtualizationFeatures.Count
                ? new(false, null, "the running CPU disables both vmx and svm")
                : new(null, null, $"model {live.Model} is not in libvirt's CPU map here, so its own features (vmx/svm or not) are unknown");
        }

        var own = model is null ? [] : map!.FeatureNames(model);
        if (VirtualizationFeatures.FirstOrDefault(f => own.Contains(f, StringComparer.Ordinal) && !disabled.Contains(f)) is { } carried)
        {
            return new(true, carried, $"model {live.Model} has {carried} in libvirt's CPU map and the running CPU keeps it");
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

    private static (CpuConfig? Cpu, string? Arch, string? MetadataMode) CpuOf(string domainXml, string what)
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
        try
        {
            return (domain.Element("cpu") is { } cpu ? CpuXml.Parse(cpu) : null, arch, VireoMetadataXml.Extract(domain)?.CpuMode);
        }
        catch (DomainXmlException e)
        {
            throw new VireoException(ErrorKind.Failed, $"the <cpu> of libvirt's {what} cannot be read: {e.Message}", e);
        }
    }

    private static string ModeName(CpuMode mode) => mode switch
    {
        CpuMode.HostModel => "host-model",
        CpuMode.HostPassthrough => "host-passthrough",
        CpuMode.Maximum => "maximum",
        _ => "custom",
    };

    private static string PolicyName(CpuFeaturePolicy policy) => policy.ToString().ToLowerInvariant();
}

using System.Xml;
using System.Xml.Linq;
using Vireo.Core;
using Vireo.DomainXml;
using Vireo.Libvirt;
using DomainXmlFeaturePolicy = Vireo.DomainXml.CpuFeaturePolicy;

namespace Vireo.HostCheck;

/// <summary>The libvirt calls readiness makes, so fixtures can answer them from files. Failures throw <see cref="LibvirtException"/>.</summary>
public interface ILibvirtAnswers
{
    string Uri { get; }

    LibvirtVersion LibraryVersion();

    LibvirtVersion HypervisorVersion();

    string Capabilities();

    string DomainCapabilities(string virtType, string arch);

    CpuCompareResult CompareHypervisorCpu(string cpuXml, string virtType, string arch);
}

/// <summary>The answers of a live connection.</summary>
public sealed class ConnectionAnswers(Connection connection) : ILibvirtAnswers
{
    public string Uri => connection.RequestedUri;

    public LibvirtVersion LibraryVersion() => connection.LibraryVersion;

    public LibvirtVersion HypervisorVersion() => connection.HypervisorVersion;

    public string Capabilities() => connection.GetCapabilities();

    public string DomainCapabilities(string virtType, string arch) => connection.GetDomainCapabilities(virtType, arch);

    public CpuCompareResult CompareHypervisorCpu(string cpuXml, string virtType, string arch) =>
        connection.CompareHypervisorCpu(cpuXml, virtType, arch);
}

/// <summary>Turns libvirt's answers into <see cref="LibvirtFacts"/>; any single refusal is recorded, never thrown.</summary>
public static class LibvirtFactsReader
{
    public static readonly IReadOnlyList<string> VirtTypes = ["kvm", "qemu"];

    public static LibvirtFacts Read(ILibvirtAnswers libvirt, HostCheckConfig config)
    {
        ArgumentNullException.ThrowIfNull(libvirt);
        ArgumentNullException.ThrowIfNull(config);
        Version libvirtVersion;
        Version qemuVersion;
        string capabilities;
        try
        {
            libvirtVersion = ToVersion(libvirt.LibraryVersion());
            qemuVersion = ToVersion(libvirt.HypervisorVersion());
            capabilities = libvirt.Capabilities();
        }
        catch (LibvirtException e)
        {
            return LibvirtFacts.Unreachable(libvirt.Uri, e.Message);
        }

        var (hostArch, guests) = ParseCapabilities(capabilities);
        var domainCapabilities = new Dictionary<string, DomainCapabilitiesFacts>(StringComparer.Ordinal);
        foreach (var virtType in VirtTypes)
        {
            try
            {
                domainCapabilities[virtType] = new DomainCapabilitiesFacts(
                    CpuXml.ParseDomainCapabilities(libvirt.DomainCapabilities(virtType, hostArch ?? "x86_64")), null);
            }
            catch (Exception e) when (e is LibvirtException or DomainXmlException)
            {
                domainCapabilities[virtType] = new DomainCapabilitiesFacts(null, e.Message);
            }
        }

        var facts = new LibvirtFacts
        {
            Uri = libvirt.Uri,
            Answered = true,
            LibvirtVersion = libvirtVersion,
            QemuVersion = qemuVersion,
            HostArch = hostArch,
            Guests = guests,
            DomainCapabilities = domainCapabilities,
        };
        return facts with { Comparisons = Compare(libvirt, config, facts) };
    }

    internal static (string? HostArch, IReadOnlyList<GuestCapability> Guests) ParseCapabilities(string xml)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return (null, []);
        }

        var hostArch = root.Element("host")?.Element("cpu")?.Element("arch")?.Value.Trim();
        var guests = root.Elements("guest")
            .Select(g => new GuestCapability(
                g.Element("os_type")?.Value.Trim() ?? "",
                g.Element("arch")?.Attribute("name")?.Value ?? "",
                (g.Element("arch")?.Elements("domain") ?? [])
                    .Select(d => d.Attribute("type")?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal)))
            .ToList();
        return (hostArch, guests);
    }

    /// <summary>
    /// compareHypervisorCPU for what the configuration asks of the CPU: every custom model with the
    /// extra flags (Nova's start-up check, done for qemu too), and host-model's definition plus the
    /// extra flags. Under TCG libvirt starts such guests anyway and QEMU silently drops what it cannot
    /// emulate (pcid): only this comparison tells.
    /// </summary>
    private static List<HypervisorCpuComparison> Compare(ILibvirtAnswers libvirt, HostCheckConfig config, LibvirtFacts facts)
    {
        var virtType = config.VirtTypeName;
        var arch = facts.HostArch ?? "x86_64";
        var extra = config.ExtraFlags
            .Select(f => new CpuFeature(f.Name, f.Policy == Configuration.Options.CpuFeaturePolicy.Disable ? DomainXmlFeaturePolicy.Disable : DomainXmlFeaturePolicy.Require))
            .ToList();
        var candidates = new List<(string Label, CpuConfig Cpu)>();
        switch (config.EffectiveCpuMode(arch))
        {
            case CpuMode.Custom:
                // Nova maps cpu_models to libvirt's spelling in any case (driver.py _get_cpu_model_mapping);
                // compareHypervisorCPU only knows that spelling, so a lower-case name is compared as libvirt spells it.
                var known = facts.DomainCapabilities.GetValueOrDefault(virtType)?.Cpu?.CustomModels ?? [];
                foreach (var model in config.CpuModels)
                {
                    candidates.Add((Label(model, config), new CpuConfig
                    {
                        Mode = CpuMode.Custom,
                        Model = known.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase))?.Name ?? model,
                        Fallback = CpuModelFallback.Forbid,
                        Features = extra.ToEquatableArray(),
                    }));
                }

                break;
            case CpuMode.HostModel when extra.Count > 0:
                if (facts.DomainCapabilities.GetValueOrDefault(virtType)?.Cpu?.HostModel is { Model: not null } hostModel)
                {
                    var features = hostModel.Features.Where(f => extra.All(e => e.Name != f.Name)).Concat(extra).ToEquatableArray();
                    candidates.Add((Label("host-model", config), new CpuConfig
                    {
                        Mode = CpuMode.Custom,
                        Model = hostModel.Model,
                        Fallback = CpuModelFallback.Forbid,
                        Vendor = hostModel.Vendor,
                        Features = features,
                    }));
                }

                break;
        }

        var comparisons = new List<HypervisorCpuComparison>();
        foreach (var (label, cpu) in candidates)
        {
            try
            {
                var result = CompareOne(libvirt, cpu, virtType, arch);
                var missing = result == CpuComparisonVerdict.Incompatible ? MissingExtraFlags(libvirt, cpu, extra, virtType, arch) : [];
                comparisons.Add(HypervisorCpuComparison.Answered(virtType, label, result, missing));
            }
            catch (LibvirtException e)
            {
                comparisons.Add(new HypervisorCpuComparison(virtType, label, null, e.Message));
            }
        }

        return comparisons;
    }

    private static CpuComparisonVerdict CompareOne(ILibvirtAnswers libvirt, CpuConfig cpu, string virtType, string arch) =>
        libvirt.CompareHypervisorCpu(CpuXml.Format(cpu), virtType, arch) switch
        {
            CpuCompareResult.Identical => CpuComparisonVerdict.Identical,
            CpuCompareResult.Superset => CpuComparisonVerdict.Superset,
            _ => CpuComparisonVerdict.Incompatible,
        };

    /// <summary>
    /// The required extra flags that make an incompatible CPU so: each one added alone to the CPU
    /// without the required extra flags. Empty when that CPU is incompatible by itself (the model
    /// is the problem, not the flags).
    /// </summary>
    private static List<string> MissingExtraFlags(ILibvirtAnswers libvirt, CpuConfig cpu, List<CpuFeature> extra, string virtType, string arch)
    {
        var required = extra.Where(f => f.Policy == DomainXmlFeaturePolicy.Require).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        if (required.Count == 0)
        {
            return [];
        }

        var without = cpu with { Features = cpu.Features.Where(f => !required.Contains(f.Name)).ToEquatableArray() };
        if (CompareOne(libvirt, without, virtType, arch) == CpuComparisonVerdict.Incompatible)
        {
            return [];
        }

        return [.. required.Order(StringComparer.Ordinal).Where(flag =>
            CompareOne(libvirt, without with { Features = without.Features.Append(new CpuFeature(flag)).ToEquatableArray() }, virtType, arch)
                == CpuComparisonVerdict.Incompatible)];
    }

    private static string Label(string model, HostCheckConfig config) =>
        config.ExtraFlags.Count == 0
            ? model
            : $"{model} {string.Join(' ', config.ExtraFlags.Select(f => (f.Policy == Configuration.Options.CpuFeaturePolicy.Disable ? "-" : "+") + f.Name))}";

    private static Version ToVersion(LibvirtVersion v) => new(v.Major, v.Minor, v.Release);
}

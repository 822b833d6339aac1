using System.Xml.Linq;
using Vireo.Core;

namespace Vireo.DomainXml;

/// <summary>
/// The <c>&lt;cpu&gt;</c> element on its own: inside a domain, and as the bare document that
/// virConnectCompareHypervisorCPU and virConnectBaselineHypervisorCPU take. Also reads the CPU
/// parts of the host and domain capabilities.
/// </summary>
public static class CpuXml
{
    /// <summary>libvirt's spelling of a CPU mode, as the <c>mode</c> attribute carries it (none has none: it throws).</summary>
    public static string ModeName(CpuMode mode) => Vocabulary.CpuModes.ToXml(mode);

    /// <summary>libvirt's spelling of a feature policy, as the <c>policy</c> attribute carries it.</summary>
    public static string PolicyName(CpuFeaturePolicy policy) => Vocabulary.FeaturePolicies.ToXml(policy);

    /// <summary>
    /// Nova's shape (config.py LibvirtConfigGuestCPU): mode, then match='exact' only for a named
    /// custom model (libvirt ignores match for host-model/host-passthrough, formatdomain "match");
    /// children model, vendor, topology, features sorted by name. A custom CPU without a model
    /// is written as topology only, the form libvirt itself uses for it.
    /// </summary>
    public static XElement ToElement(CpuConfig cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (cpu.Mode == CpuMode.None)
        {
            throw new ArgumentException("cpu mode none is nova.conf's word, not libvirt's; write it as a custom CPU without a model, as Nova does", nameof(cpu));
        }

        var element = new XElement("cpu");
        var named = cpu.Model is not null;
        if (cpu.Mode != CpuMode.Custom || named)
        {
            element.Add(new XAttribute("mode", Vocabulary.CpuModes.ToXml(cpu.Mode)));
        }

        if (cpu.Match is { } match)
        {
            element.Add(new XAttribute("match", Vocabulary.CpuMatches.ToXml(match)));
        }

        if (named || cpu.Fallback is not null)
        {
            var model = new XElement("model");
            if (cpu.Fallback is { } fallback)
            {
                model.Add(new XAttribute("fallback", Vocabulary.Fallbacks.ToXml(fallback)));
            }

            model.Add(cpu.Model);
            element.Add(model);
        }

        if (cpu.Vendor is not null)
        {
            element.Add(new XElement("vendor", cpu.Vendor));
        }

        if (cpu.Topology is { } topology)
        {
            element.Add(TopologyElement(topology));
        }

        string? previous = null;
        foreach (var feature in cpu.Features)
        {
            if (feature.Name == previous)
            {
                throw new DomainXmlException(
                    $"CPU feature '{feature.Name}' is listed more than once; libvirt accepts one policy per feature");
            }

            element.Add(new XElement(
                "feature",
                new XAttribute("policy", Vocabulary.FeaturePolicies.ToXml(feature.Policy)),
                new XAttribute("name", feature.Name)));
            previous = feature.Name;
        }

        return element;
    }

    public static string Format(CpuConfig cpu) => XmlWrite.ToText(ToElement(cpu));

    public static CpuConfig Parse(string xml) => Parse(XmlRead.Load(xml, "CPU XML"));

    /// <summary>Reads a guest <c>&lt;cpu&gt;</c>; unknown attributes and children (check, migratable, numa, cache…) are ignored.</summary>
    public static CpuConfig Parse(XElement cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        XmlRead.ExpectName(cpu, "cpu");
        var mode = XmlRead.OptionalEnum(cpu, "mode", Vocabulary.CpuModes) ?? CpuMode.Custom;
        return ParseBody(cpu, mode) with { Match = XmlRead.OptionalEnum(cpu, "match", Vocabulary.CpuMatches) };
    }

    public static HostCpu ParseHostCapabilities(string capabilitiesXml) =>
        ParseHostCapabilities(XmlRead.Load(capabilitiesXml, "capabilities XML"));

    /// <summary>Accepts the whole <c>&lt;capabilities&gt;</c> document or its <c>host/cpu</c> element.</summary>
    public static HostCpu ParseHostCapabilities(XElement capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var cpu = capabilities.Name == "cpu"
            ? capabilities
            : XmlRead.RequiredElement(XmlRead.RequiredElement(capabilities, "host"), "cpu");
        return new HostCpu
        {
            Arch = XmlRead.RequiredText(XmlRead.RequiredElement(cpu, "arch")),
            Model = XmlRead.OptionalText(cpu.Element("model")),
            Vendor = XmlRead.OptionalText(cpu.Element("vendor")),
            Topology = cpu.Element("topology") is { } t ? ParseTopology(t) : null,
            Features = cpu.Elements("feature").Select(f => XmlRead.RequiredAttribute(f, "name")).ToEquatableArray(),
        };
    }

    public static DomainCapabilitiesCpu ParseDomainCapabilities(string domainCapabilitiesXml) =>
        ParseDomainCapabilities(XmlRead.Load(domainCapabilitiesXml, "domain capabilities XML"));

    /// <summary>
    /// Accepts the whole <c>&lt;domainCapabilities&gt;</c> document or its <c>cpu</c> element, e.g.
    /// <c>&lt;mode name='host-model' supported='yes'&gt;&lt;model fallback='forbid'&gt;EPYC&lt;/model&gt;…</c> and
    /// <c>&lt;mode name='custom' supported='yes'&gt;&lt;model usable='yes' vendor='Intel'&gt;Nehalem&lt;/model&gt;…</c>.
    /// </summary>
    public static DomainCapabilitiesCpu ParseDomainCapabilities(XElement domainCapabilities)
    {
        ArgumentNullException.ThrowIfNull(domainCapabilities);
        var cpu = domainCapabilities.Name == "cpu" ? domainCapabilities : XmlRead.RequiredElement(domainCapabilities, "cpu");
        var modes = cpu.Elements("mode").ToLookup(m => m.Attribute("name")?.Value);
        var hostModel = modes["host-model"].FirstOrDefault();
        var custom = modes["custom"].FirstOrDefault();
        var hostModelSupported = Supported(hostModel);
        return new DomainCapabilitiesCpu
        {
            HostPassthroughSupported = Supported(modes["host-passthrough"].FirstOrDefault()),
            MaximumSupported = Supported(modes["maximum"].FirstOrDefault()),
            HostModelSupported = hostModelSupported,
            HostModel = hostModelSupported && hostModel!.Element("model") is not null
                ? ParseBody(hostModel, CpuMode.Custom)
                : null,
            CustomSupported = Supported(custom),
            CustomModels = custom?.Elements("model").Select(ParseModelInfo).ToEquatableArray() ?? [],
        };
    }

    internal static XElement TopologyElement(CpuTopology topology)
    {
        var element = new XElement("topology", new XAttribute("sockets", XmlWrite.Int(topology.Sockets)));
        if (topology.Dies != 1)
        {
            element.Add(new XAttribute("dies", XmlWrite.Int(topology.Dies)));
        }

        element.Add(
            new XAttribute("cores", XmlWrite.Int(topology.Cores)),
            new XAttribute("threads", XmlWrite.Int(topology.Threads)));
        return element;
    }

    private static CpuTopology ParseTopology(XElement topology) => new(
        XmlRead.Int(topology, "sockets"),
        XmlRead.Int(topology, "cores"),
        XmlRead.Int(topology, "threads"),
        XmlRead.OptionalInt(topology, "dies") ?? 1);

    private static CpuConfig ParseBody(XElement container, CpuMode mode)
    {
        var model = container.Element("model");
        return new CpuConfig
        {
            Mode = mode,
            Model = XmlRead.OptionalText(model),
            Fallback = model is null ? null : XmlRead.OptionalEnum(model, "fallback", Vocabulary.Fallbacks),
            Vendor = XmlRead.OptionalText(container.Element("vendor")),
            Topology = container.Element("topology") is { } topology ? ParseTopology(topology) : null,
            Features = container.Elements("feature")
                .Select(f => new CpuFeature(
                    XmlRead.RequiredAttribute(f, "name"),
                    XmlRead.OptionalEnum(f, "policy", Vocabulary.FeaturePolicies) ?? CpuFeaturePolicy.Require))
                .ToEquatableArray(),
        };
    }

    private static bool Supported(XElement? mode) => mode is not null && XmlRead.OptionalBool(mode, "supported") == true;

    private static CpuModelInfo ParseModelInfo(XElement model) => new(
        XmlRead.RequiredText(model),
        XmlRead.OptionalEnum(model, "usable", Vocabulary.Usabilities) ?? CpuModelUsability.Unknown,
        model.Attribute("vendor")?.Value is { Length: > 0 } vendor ? vendor : null,
        XmlRead.OptionalBool(model, "deprecated") ?? false);
}

using System.Xml.Linq;

namespace Vireo.DomainXml;

/// <summary>
/// Formats a <see cref="DomainDefinition"/> as libvirt domain XML. Output depends only on the
/// definition: fixed element order, sorted features, invariant culture, '\n' line ends.
/// </summary>
public static class DomainXmlWriter
{
    /// <summary>
    /// Top-level order follows Nova's LibvirtConfigGuest.format_dom (uuid, name, memory, vcpu,
    /// metadata, os, features, clock, cpu, devices) so operators see the layout they know from
    /// <c>virsh dumpxml</c> of Nova guests; libvirt itself accepts any order (domain.rng interleaves).
    /// </summary>
    public static XElement ToElement(DomainDefinition domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Check(domain);
        var root = new XElement(
            "domain",
            new XAttribute("type", Vocabulary.DomainTypes.ToXml(domain.Type)),
            new XElement("uuid", domain.Uuid.ToString("D")),
            new XElement("name", domain.Name),
            Memory("memory", domain.MemoryKiB),
            Memory("currentMemory", domain.MemoryKiB),
            new XElement("vcpu", XmlWrite.Int(domain.Vcpus)));
        if (domain.Metadata is { } metadata)
        {
            root.Add(new XElement("metadata", VireoMetadataXml.ToElement(metadata)));
        }

        root.Add(Os(domain.Os));
        if (domain.Features.Count > 0)
        {
            root.Add(new XElement("features", domain.Features.Select(f => new XElement(XmlWrite.Name(f, "domain feature")))));
        }

        root.Add(Clock(domain.Clock));
        if (domain.Cpu is { } cpu)
        {
            root.Add(CpuXml.ToElement(cpu));
        }

        root.Add(
            new XElement("on_poweroff", Vocabulary.LifecycleActions.ToXml(domain.OnPoweroff)),
            new XElement("on_reboot", Vocabulary.LifecycleActions.ToXml(domain.OnReboot)),
            new XElement("on_crash", Vocabulary.LifecycleActions.ToXml(domain.OnCrash)),
            DeviceXml.ToElement(domain.Devices));
        return root;
    }

    /// <summary>The indented text handed to virDomainDefineXML.</summary>
    public static string Format(DomainDefinition domain) => XmlWrite.ToText(ToElement(domain));

    /// <summary>Only what libvirt would refuse anyway, reported before the round trip to libvirtd.</summary>
    private static void Check(DomainDefinition domain)
    {
        if (string.IsNullOrWhiteSpace(domain.Name))
        {
            throw new DomainXmlException("the domain name is empty; libvirt requires one");
        }

        if (domain.MemoryKiB <= 0)
        {
            throw new DomainXmlException($"domain '{domain.Name}': memory is {domain.MemoryKiB} KiB; it must be positive");
        }

        if (domain.Vcpus <= 0)
        {
            throw new DomainXmlException($"domain '{domain.Name}': vcpus is {domain.Vcpus}; it must be at least 1");
        }
    }

    private static XElement Memory(string name, long kib) =>
        new(name, new XAttribute("unit", "KiB"), XmlWrite.Int(kib));

    private static XElement Os(OsConfig os)
    {
        var type = new XElement("type", new XAttribute("arch", os.Arch));
        if (os.Machine is not null)
        {
            type.Add(new XAttribute("machine", os.Machine));
        }

        type.Add(os.Type);
        return new XElement(
            "os",
            type,
            os.BootDevices.Select(d => new XElement("boot", new XAttribute("dev", Vocabulary.BootDevices.ToXml(d)))));
    }

    private static XElement Clock(ClockConfig clock) => new(
        "clock",
        new XAttribute("offset", Vocabulary.ClockOffsets.ToXml(clock.Offset)),
        clock.Timers.Select(Timer));

    private static XElement Timer(TimerConfig timer)
    {
        var element = new XElement("timer", new XAttribute("name", timer.Name));
        if (timer.TickPolicy is { } policy)
        {
            element.Add(new XAttribute("tickpolicy", Vocabulary.TickPolicies.ToXml(policy)));
        }

        if (timer.Present is { } present)
        {
            element.Add(new XAttribute("present", XmlWrite.YesNo(present)));
        }

        return element;
    }
}

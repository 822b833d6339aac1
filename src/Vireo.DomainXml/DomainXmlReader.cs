using System.Xml.Linq;

namespace Vireo.DomainXml;

/// <summary>
/// Reads domain XML, including the re-serialised form virDomainGetXMLDesc returns: elements and
/// attributes outside the model (resource, seclabel, controllers, aliases, addresses, other
/// metadata namespaces…) are ignored, and missing optional elements take libvirt's defaults.
/// </summary>
public static class DomainXmlReader
{
    public static DomainDefinition Parse(string xml) => Parse(XmlRead.Load(xml, "domain XML"));

    public static DomainDefinition Parse(XElement domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        XmlRead.ExpectName(domain, "domain");
        return new DomainDefinition
        {
            Type = XmlRead.Enum(domain, "type", Vocabulary.DomainTypes),
            Name = XmlRead.RequiredText(XmlRead.RequiredElement(domain, "name")),
            Uuid = XmlRead.Uuid(XmlRead.RequiredElement(domain, "uuid")),
            Metadata = VireoMetadataXml.Extract(domain),
            MemoryKiB = MemoryKiB(XmlRead.RequiredElement(domain, "memory")),
            Vcpus = domain.Element("vcpu") is { } vcpu ? Vcpus(vcpu) : 1,
            Os = ParseOs(XmlRead.RequiredElement(domain, "os")),
            Features = ParseFeatures(domain.Element("features")),
            Clock = domain.Element("clock") is { } clock ? ParseClock(clock) : new ClockConfig(),
            Cpu = domain.Element("cpu") is { } cpu ? CpuXml.Parse(cpu) : null,
            OnPoweroff = Lifecycle(domain, "on_poweroff", LifecycleAction.Destroy),
            OnReboot = Lifecycle(domain, "on_reboot", LifecycleAction.Restart),
            OnCrash = Lifecycle(domain, "on_crash", LifecycleAction.Destroy),
            Devices = DeviceXml.Parse(domain.Element("devices")),
        };
    }

    /// <summary>
    /// formatdomain "Memory Allocation": unit defaults to KiB; b/bytes, KB, k/KiB, MB, M/MiB, GB,
    /// G/GiB, TB, T/TiB (and P, E). Like libvirt, a size that is not a whole KiB rounds up.
    /// </summary>
    internal static long MemoryKiB(XElement memory)
    {
        var value = XmlRead.Long(memory);
        var unit = memory.Attribute("unit")?.Value ?? "KiB";
        Int128 bytesPerUnit = unit switch
        {
            "b" or "bytes" => 1,
            "KB" => 1000,
            "k" or "KiB" => 1024,
            "MB" => 1000_000,
            "M" or "MiB" => 1L << 20,
            "GB" => 1000_000_000,
            "G" or "GiB" => 1L << 30,
            "TB" => 1000_000_000_000,
            "T" or "TiB" => 1L << 40,
            "PB" => 1000_000_000_000_000,
            "P" or "PiB" => 1L << 50,
            "EB" => 1000_000_000_000_000_000,
            "E" or "EiB" => 1L << 60,
            _ => throw XmlRead.Error(memory, $"unit '{unit}' is not a libvirt memory unit (b, KB, KiB, MB, MiB, GB, GiB, TB, TiB…)"),
        };
        var kib = ((value * bytesPerUnit) + 1023) / 1024;
        return kib <= long.MaxValue ? (long)kib : throw XmlRead.Error(memory, $"{value} {unit} is too large");
    }

    private static int Vcpus(XElement vcpu)
    {
        var count = XmlRead.Long(vcpu);
        return count <= int.MaxValue ? (int)count : throw XmlRead.Error(vcpu, $"{count} vCPUs is out of range");
    }

    private static OsConfig ParseOs(XElement os)
    {
        var type = XmlRead.RequiredElement(os, "type");
        return new OsConfig
        {
            Type = XmlRead.RequiredText(type),
            Arch = XmlRead.RequiredAttribute(type, "arch"),
            Machine = type.Attribute("machine")?.Value,
            BootDevices = os.Elements("boot").Select(b => XmlRead.Enum(b, "dev", Vocabulary.BootDevices)).ToEquatableArray(),
        };
    }

    /// <summary>
    /// Only flag features are modelled. libvirt writes some tristate flags back with a state
    /// (<c>&lt;vmcoreinfo state='on'/&gt;</c>); state='off' means absent. Features with children
    /// (hyperv, kvm) are outside the model and skipped like any unknown element.
    /// </summary>
    private static EquatableArray<string> ParseFeatures(XElement? features) =>
        features is null
            ? []
            : features.Elements()
                .Where(f => !f.HasElements && XmlRead.OptionalBool(f, "state") != false)
                .Select(f => f.Name.LocalName)
                .ToEquatableArray();

    private static ClockConfig ParseClock(XElement clock) => new()
    {
        Offset = XmlRead.OptionalEnum(clock, "offset", Vocabulary.ClockOffsets) ?? ClockOffset.Utc,
        Timers = clock.Elements("timer")
            .Select(t => new TimerConfig(
                XmlRead.RequiredAttribute(t, "name"),
                XmlRead.OptionalEnum(t, "tickpolicy", Vocabulary.TickPolicies),
                XmlRead.OptionalBool(t, "present")))
            .ToEquatableArray(),
    };

    private static LifecycleAction Lifecycle(XElement domain, string name, LifecycleAction libvirtDefault) =>
        domain.Element(name) is { } element ? XmlRead.TextEnum(element, Vocabulary.LifecycleActions) : libvirtDefault;
}

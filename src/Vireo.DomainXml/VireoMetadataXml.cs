using System.Globalization;
using System.Xml.Linq;

namespace Vireo.DomainXml;

/// <summary>
/// Vireo's element inside <c>&lt;metadata&gt;</c>. libvirt keeps one element per namespace URI there
/// (formatdomain "General metadata"; virDomainSetMetadata with VIR_DOMAIN_METADATA_ELEMENT), so other
/// software's entries live alongside and are ignored here.
/// </summary>
public static class VireoMetadataXml
{
    public const string NamespaceUri = "https://vireo.dev/xmlns/domain/1.0";

    /// <summary>The prefix libvirt is given as the key in virDomainSetMetadata.</summary>
    public const string Prefix = "vireo";

    public static readonly XNamespace Namespace = NamespaceUri;

    public static readonly XName InstanceName = Namespace + "instance";

    private const string CreatedFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>The <c>&lt;vireo:instance&gt;</c> element, declaring its namespace itself so it can be handed to virDomainSetMetadata alone.</summary>
    public static XElement ToElement(VireoMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (string.IsNullOrWhiteSpace(metadata.InstallationId))
        {
            throw new DomainXmlException("Vireo metadata needs a non-empty installation id; reconciliation matches domains by it");
        }

        var element = new XElement(
            InstanceName,
            new XAttribute(XNamespace.Xmlns + Prefix, NamespaceUri),
            new XAttribute("installation", metadata.InstallationId));
        if (metadata.InstanceId is { } id)
        {
            element.Add(new XAttribute("id", id.ToString("D")));
        }

        if (metadata.DisplayName is not null)
        {
            element.Add(new XElement(Namespace + "name", metadata.DisplayName));
        }

        if (metadata.Flavor is { } flavor)
        {
            element.Add(new XElement(
                Namespace + "flavor",
                new XAttribute("name", flavor.Name),
                new XAttribute("vcpus", XmlWrite.Int(flavor.Vcpus)),
                new XAttribute("memory_mib", XmlWrite.Int(flavor.MemoryMiB)),
                new XAttribute("root_gib", XmlWrite.Int(flavor.RootGiB))));
        }

        if (metadata.ImageId is not null)
        {
            element.Add(new XElement(Namespace + "image", new XAttribute("id", metadata.ImageId)));
        }

        if (metadata.CreatedAt is { } created)
        {
            element.Add(new XElement(
                Namespace + "created",
                created.UtcDateTime.ToString(CreatedFormat, CultureInfo.InvariantCulture)));
        }

        if (metadata.CpuMode is not null)
        {
            element.Add(new XElement(Namespace + "cpu", new XAttribute("mode", metadata.CpuMode)));
        }

        return element;
    }

    public static string Format(VireoMetadata metadata) => XmlWrite.ToText(ToElement(metadata));

    /// <summary>
    /// Finds Vireo's metadata in a domain XML document as virDomainGetXMLDesc returns it, or in the
    /// bare element virDomainGetMetadata returns. Null when the domain carries none (it is not
    /// Vireo's); throws <see cref="DomainXmlException"/> when the XML or Vireo's element is malformed.
    /// Nothing else in the document is interpreted, so any domain can be scanned.
    /// </summary>
    public static VireoMetadata? Extract(string xml) => Extract(XmlRead.Load(xml, "domain XML"));

    public static VireoMetadata? Extract(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Name == InstanceName)
        {
            return Parse(element);
        }

        var instance = element.Element("metadata")?.Element(InstanceName);
        return instance is null ? null : Parse(instance);
    }

    /// <summary>Reads a <c>&lt;vireo:instance&gt;</c> element; unknown attributes and children are ignored.</summary>
    public static VireoMetadata Parse(XElement instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        XmlRead.ExpectName(instance, InstanceName);
        var installation = XmlRead.RequiredAttribute(instance, "installation");
        if (string.IsNullOrWhiteSpace(installation))
        {
            throw XmlRead.Error(instance, "attribute 'installation' is empty");
        }

        var flavor = instance.Element(Namespace + "flavor");
        var image = instance.Element(Namespace + "image");
        return new VireoMetadata(
            installation,
            instance.Attribute("id") is null ? null : XmlRead.Uuid(instance, "id"),
            instance.Element(Namespace + "name")?.Value,
            flavor is null
                ? null
                : new VireoFlavor(
                    XmlRead.RequiredAttribute(flavor, "name"),
                    XmlRead.Int(flavor, "vcpus"),
                    XmlRead.Long(flavor, "memory_mib"),
                    XmlRead.Long(flavor, "root_gib")),
            image is null ? null : XmlRead.RequiredAttribute(image, "id"),
            instance.Element(Namespace + "created") is { } created ? ParseCreated(created) : null,
            instance.Element(Namespace + "cpu") is { } cpu ? XmlRead.RequiredAttribute(cpu, "mode") : null);
    }

    private static DateTimeOffset ParseCreated(XElement created)
    {
        var text = created.Value.Trim();
        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var value)
            ? value
            : throw XmlRead.Error(created, $"'{text}' is not an ISO-8601 timestamp");
    }
}

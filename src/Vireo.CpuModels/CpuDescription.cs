using System.Xml;
using System.Xml.Linq;
using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.CpuModels;

/// <summary>libvirt's <c>&lt;cpu match&gt;</c>: how strictly a host must match a custom guest CPU (CpuConfig does not carry it yet).</summary>
public enum CpuMatchPolicy
{
    Minimum,
    Exact,
    Strict,
}

/// <summary>
/// One CPU as a file describes it: a host's <c>&lt;cpu&gt;</c> from <c>virsh capabilities</c>, a guest's
/// <c>&lt;cpu&gt;</c>, or the host-model CPU of <c>virsh domcapabilities</c>.
/// </summary>
/// <param name="Source">Where it came from, for messages: <c>hosts.xml, cpu 2</c>.</param>
public sealed record CpuDescription(string Source, CpuConfig Cpu, string? Arch = null, CpuMatchPolicy? Match = null)
{
    public string? Model => Cpu.Model;

    public string? Vendor => Cpu.Vendor;
}

/// <summary>
/// Finds the CPUs in a file the way <c>virsh cpu-baseline</c> and <c>virsh cpu-compare</c> do: the file
/// may hold several top-level <c>&lt;cpu&gt;</c> elements, or domain XML, host capabilities or domain
/// capabilities (whose supported host-model CPU is taken), one or several of them.
/// </summary>
public static class CpuDescriptionReader
{
    public static IReadOnlyList<CpuDescription> Read(string xml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(fileName);
        var text = xml.TrimStart();
        if (text.StartsWith("<?xml", StringComparison.Ordinal) && text.IndexOf("?>", StringComparison.Ordinal) is var end and >= 0)
        {
            text = text[(end + 2)..];
        }

        // virsh wraps the file in <container> so that several documents parse as one.
        var container = Load($"<container>{text}</container>", fileName);
        var found = new List<CpuDescription>();
        foreach (var element in container.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "cpu":
                    found.Add(Describe(element, fileName, found.Count + 1, element.Element("arch")?.Value.Trim()));
                    break;
                case "domain" when element.Element("cpu") is { } cpu:
                    found.Add(Describe(cpu, fileName, found.Count + 1, element.Element("os")?.Element("type")?.Attribute("arch")?.Value));
                    break;
                case "capabilities" when element.Element("host")?.Element("cpu") is { } cpu:
                    found.Add(Describe(cpu, fileName, found.Count + 1, cpu.Element("arch")?.Value.Trim()));
                    break;
                case "domainCapabilities":
                    var hostModel = element.Element("cpu")?.Elements("mode")
                        .FirstOrDefault(m => m.Attribute("name")?.Value == "host-model" && m.Attribute("supported")?.Value == "yes");
                    if (hostModel is not null)
                    {
                        // virsh renames the mode element to <cpu> and drops its attributes.
                        found.Add(Describe(new XElement("cpu", hostModel.Elements()), fileName, found.Count + 1, element.Element("arch")?.Value.Trim()));
                    }

                    break;
                default:
                    break;
            }
        }

        if (found.Count == 0)
        {
            throw VireoException.InvalidInput(
                $"{fileName} holds no <cpu> element, domain XML, host capabilities (virsh capabilities) or domain capabilities with a host-model CPU (virsh domcapabilities); give a file with one of them");
        }

        return found;
    }

    public static IReadOnlyList<CpuDescription> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string xml;
        try
        {
            xml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VireoException(ErrorKind.InvalidInput, $"cannot read {path} ({e.Message}); give a readable file", e);
        }

        return Read(xml, path);
    }

    private static CpuDescription Describe(XElement cpu, string fileName, int number, string? arch)
    {
        var source = $"{fileName}, cpu {number}";
        CpuConfig parsed;
        try
        {
            parsed = CpuXml.Parse(cpu);
        }
        catch (DomainXmlException e)
        {
            throw new VireoException(ErrorKind.InvalidInput, $"{source} is not a valid <cpu> element ({e.Message}); fix the element", e);
        }

        // libvirt's CPU parser refuses a repeated feature ("specified more than once").
        var repeated = parsed.Features.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw VireoException.InvalidInput($"{source} names CPU feature '{repeated.Key}' more than once; keep one <feature name='{repeated.Key}'/>");
        }

        var match = cpu.Attribute("match")?.Value switch
        {
            null => (CpuMatchPolicy?)null,
            "minimum" => CpuMatchPolicy.Minimum,
            "exact" => CpuMatchPolicy.Exact,
            "strict" => CpuMatchPolicy.Strict,
            var other => throw VireoException.InvalidInput($"{source} has match='{other}'; libvirt knows minimum, exact and strict"),
        };
        return new CpuDescription(source, parsed, string.IsNullOrEmpty(arch) ? null : arch, match);
    }

    private static XElement Load(string xml, string fileName)
    {
        // libvirt never writes a DTD; refusing one keeps entity expansion out of files from elsewhere.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new VireoException(ErrorKind.InvalidInput, $"{fileName} is not well-formed XML ({e.Message}); fix the file", e);
        }
    }
}

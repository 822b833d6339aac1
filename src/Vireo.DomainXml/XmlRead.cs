using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Vireo.DomainXml;

/// <summary>Reading helpers that fail with the element path, the value and what was expected.</summary>
internal static class XmlRead
{
    /// <summary>
    /// libvirt never emits a DTD, so one is refused outright rather than expanded (entity
    /// expansion is a denial-of-service vector for any XML that crosses a trust boundary).
    /// </summary>
    public static XElement Load(string xml, string what)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new DomainXmlException($"{what} is not well-formed XML: {e.Message}", e);
        }
    }

    public static void ExpectName(XElement element, XName name)
    {
        if (element.Name != name)
        {
            throw new DomainXmlException($"expected a <{name.LocalName}> element but found <{element.Name.LocalName}>");
        }
    }

    /// <summary>An XPath-like location such as <c>/domain/devices/disk[2]/driver</c>.</summary>
    public static string PathOf(XElement element)
    {
        var parts = new Stack<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            var siblings = e.Parent?.Elements(e.Name).ToList();
            parts.Push(siblings is { Count: > 1 } ? $"{e.Name.LocalName}[{siblings.IndexOf(e) + 1}]" : e.Name.LocalName);
        }

        var path = new StringBuilder();
        foreach (var part in parts)
        {
            path.Append('/').Append(part);
        }

        return path.ToString();
    }

    public static DomainXmlException Error(XElement element, string problem) => new($"{PathOf(element)}: {problem}");

    public static XElement RequiredElement(XElement parent, XName name) =>
        parent.Element(name) ?? throw Error(parent, $"required element <{name.LocalName}> is missing");

    public static string RequiredAttribute(XElement element, XName name) =>
        element.Attribute(name)?.Value ?? throw Error(element, $"required attribute '{name.LocalName}' is missing");

    public static string RequiredText(XElement element)
    {
        var text = element.Value.Trim();
        return text.Length > 0 ? text : throw Error(element, "the element is empty but a value is required");
    }

    public static string? OptionalText(XElement? element)
    {
        var text = element?.Value.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public static T Enum<T>(XElement element, string attribute, XmlEnum<T> table)
        where T : struct, Enum => ParseEnum(element, attribute, RequiredAttribute(element, attribute), table);

    public static T? OptionalEnum<T>(XElement element, string attribute, XmlEnum<T> table)
        where T : struct, Enum =>
        element.Attribute(attribute) is { } a ? ParseEnum(element, attribute, a.Value, table) : null;

    public static T TextEnum<T>(XElement element, XmlEnum<T> table)
        where T : struct, Enum =>
        table.TryParse(element.Value.Trim(), out var value)
            ? value
            : throw Error(element, $"'{element.Value.Trim()}' is not one of: {table.Choices}");

    private static T ParseEnum<T>(XElement element, string attribute, string text, XmlEnum<T> table)
        where T : struct, Enum =>
        table.TryParse(text, out var value)
            ? value
            : throw Error(element, $"attribute '{attribute}' is '{text}', expected one of: {table.Choices}");

    public static int Int(XElement element, string attribute) =>
        OptionalInt(element, attribute) ?? throw Error(element, $"required attribute '{attribute}' is missing");

    public static int? OptionalInt(XElement element, string attribute)
    {
        if (element.Attribute(attribute) is not { } a)
        {
            return null;
        }

        return int.TryParse(a.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(element, $"attribute '{attribute}' is '{a.Value}', expected a non-negative integer");
    }

    public static long Long(XElement element, string? attribute = null)
    {
        var text = attribute is null ? element.Value.Trim() : RequiredAttribute(element, attribute);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(element, $"{(attribute is null ? "value" : $"attribute '{attribute}'")} is '{text}', expected a non-negative integer");
    }

    /// <summary>libvirt spells booleans 'on'/'off' in some attributes and 'yes'/'no' in others; both are accepted.</summary>
    public static bool? OptionalBool(XElement element, string attribute) =>
        element.Attribute(attribute)?.Value switch
        {
            null => null,
            "on" or "yes" => true,
            "off" or "no" => false,
            var other => throw Error(element, $"attribute '{attribute}' is '{other}', expected on/off or yes/no"),
        };

    public static Guid Uuid(XElement element, string? attribute = null)
    {
        var text = attribute is null ? element.Value.Trim() : RequiredAttribute(element, attribute);
        return Guid.TryParse(text, out var value)
            ? value
            : throw Error(element, $"'{text}' is not a UUID");
    }
}

internal static class XmlWrite
{
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string OnOff(bool value) => value ? "on" : "off";

    public static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>Indented with two spaces and '\n' on every platform, so golden files and diffs are stable.</summary>
    public static string ToText(XElement element)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            OmitXmlDeclaration = true,
            NewLineHandling = NewLineHandling.Replace,
        };
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, settings))
        {
            element.WriteTo(writer);
        }

        return text.Append('\n').ToString();
    }

    /// <summary>Rejects names libvirt would reject anyway, here where the caller can see which one.</summary>
    public static XName Name(string name, string what)
    {
        try
        {
            return XmlConvert.VerifyNCName(name);
        }
        catch (XmlException e)
        {
            throw new DomainXmlException($"{what} '{name}' is not a valid XML element name", e);
        }
    }
}

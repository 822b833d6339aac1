using System.Text;
using System.Xml.Linq;

namespace Vireo.Testing;

/// <summary>
/// A canonical text of an XML tree for semantic comparison: expanded names, attributes sorted
/// (namespace declarations dropped, since prefixes do not change meaning), text trimmed,
/// indentation and quoting ignored; child order kept, because the writer promises it.
/// </summary>
public static class XmlSemantic
{
    public static string Canonical(string xml) => Canonical(XElement.Parse(xml));

    public static string Canonical(XElement element)
    {
        var text = new StringBuilder();
        Write(element, 0, text);
        return text.ToString();
    }

    private static void Write(XElement element, int depth, StringBuilder text)
    {
        text.Append(' ', depth * 2).Append('<').Append(element.Name);
        foreach (var attribute in element.Attributes()
                     .Where(a => !a.IsNamespaceDeclaration)
                     .OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            text.Append(' ').Append(attribute.Name).Append("=\"").Append(attribute.Value).Append('"');
        }

        text.Append('>');
        if (!element.HasElements)
        {
            text.Append(element.Value.Trim()).Append('\n');
            return;
        }

        text.Append('\n');
        foreach (var child in element.Elements())
        {
            Write(child, depth + 1, text);
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vireo.ImageFormats.Formats;

/// <summary>One extent line: <c>RW 2048 SPARSE "disk.vmdk"</c> (access, size in sectors, type, file, offset).</summary>
internal sealed record VmdkExtent(int Line, string Access, ulong Sectors, string Type, string? File);

/// <summary>
/// A VMDK text descriptor (VMware "Virtual Disk Format 1.1", section "The Descriptor File"),
/// checked against its grammar line by line: blank, <c># comment</c>, <c>key = value</c>
/// (value quoted or one token) or an extent line; anything else is a syntax error. The
/// <c>createType</c> and <c>parentFileNameHint</c> values are also collected wherever the text
/// mentions them, because QEMU finds them with strstr over the whole text, comments included.
/// </summary>
internal sealed partial class VmdkDescriptor
{
    public required IReadOnlyList<VmdkExtent> Extents { get; init; }

    /// <summary>Lines outside the grammar: (line number, the line as shown).</summary>
    public required IReadOnlyList<(int Line, string Shown)> SyntaxErrors { get; init; }

    /// <summary>The createType QEMU would read (first exact "createType" in the text), or the first key line's.</summary>
    public string? CreateType { get; init; }

    /// <summary>Every createType value the text mentions, in any case, anywhere.</summary>
    public required IReadOnlyList<string> CreateTypes { get; init; }

    public required IReadOnlyList<string> ParentFileNames { get; init; }

    public static VmdkDescriptor Parse(ReadOnlySpan<byte> bytes)
    {
        // Latin-1 maps every byte to one char, so offsets and odd bytes survive decoding.
        var text = Encoding.Latin1.GetString(bytes);
        var extents = new List<VmdkExtent>();
        var errors = new List<(int, string)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim(' ', '\t', '\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                if (!Printable(line, allowHigh: true))
                {
                    errors.Add((number, Text.Shown(line)));
                }

                continue;
            }

            var firstToken = line.Split([' ', '\t'], 2)[0];
            if (firstToken.Equals("RW", StringComparison.OrdinalIgnoreCase)
                || firstToken.Equals("RDONLY", StringComparison.OrdinalIgnoreCase)
                || firstToken.Equals("NOACCESS", StringComparison.OrdinalIgnoreCase))
            {
                var match = ExtentLine().Match(line);
                if (match.Success && ulong.TryParse(match.Groups["sectors"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var sectors))
                {
                    extents.Add(new VmdkExtent(number, match.Groups["access"].Value, sectors, match.Groups["type"].Value.ToUpperInvariant(),
                        match.Groups["file"].Success ? match.Groups["file"].Value : null));
                }
                else
                {
                    errors.Add((number, Text.Shown(line)));
                }

                continue;
            }

            if (!KeyValueLine().IsMatch(line) || !Printable(line, allowHigh: true))
            {
                errors.Add((number, Text.Shown(line)));
            }
        }

        return new VmdkDescriptor
        {
            Extents = extents,
            SyntaxErrors = errors,
            CreateType = QemuValue(text, "createType"),
            CreateTypes = Mentions(text, "createType"),
            ParentFileNames = Mentions(text, "parentFileNameHint"),
        };
    }

    private static bool Printable(string line, bool allowHigh)
    {
        foreach (var c in line)
        {
            if (c != '\t' && (c < ' ' || c == '\x7f' || (!allowHigh && c > '\x7f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// QEMU's vmdk_parse_description: the first exact occurrence of the key, then the two
    /// characters it assumes are <c>="</c> skipped, then up to the next double quote.
    /// </summary>
    private static string? QemuValue(string text, string key)
    {
        var at = text.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + key.Length + 2;
        if (start >= text.Length)
        {
            return null;
        }

        var end = text.IndexOf('"', start);
        return end < 0 ? null : text[start..end];
    }

    /// <summary>The value after every mention of the key in any case: <c>key = "value"</c> or <c>key=value</c>.</summary>
    private static List<string> Mentions(string text, string key)
    {
        var values = new List<string>();
        foreach (Match match in Mention().Matches(text))
        {
            if (match.Groups["key"].Value.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["bare"].Value);
            }
        }

        var qemu = QemuValue(text, key);
        if (qemu is not null && !values.Contains(qemu, StringComparer.Ordinal))
        {
            values.Add(qemu);
        }

        return values;
    }

    [GeneratedRegex("""^(?<access>RW|RDONLY|NOACCESS)[ \t]+(?<sectors>[0-9]{1,20})[ \t]+(?<type>FLAT|SPARSE|ZERO|VMFS|VMFSSPARSE|VMFSRDM|VMFSRAW|SESPARSE)([ \t]+"(?<file>[^"]*)"([ \t]+[0-9]{1,20})?)?$""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ExtentLine();

    [GeneratedRegex("""^[A-Za-z][A-Za-z0-9_.]*[ \t]*=[ \t]*("[^"]*"|[^ \t"]*)$""", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueLine();

    [GeneratedRegex("""(?<key>createType|parentFileNameHint)[ \t]*=[ \t]*("(?<quoted>[^"\r\n]*)"?|(?<bare>[^ \t\r\n"]*))""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Mention();
}

using System.Globalization;
using System.Text;

namespace Vireo.ImageFormats.Formats;

/// <summary>Untrusted bytes made fit for a one-line message.</summary>
internal static class Text
{
    private const int MaxShown = 160;

    /// <summary>Printable ASCII kept, anything else as \xNN, cut at 160 characters with an ellipsis.</summary>
    public static string Shown(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder();
        foreach (var b in value)
        {
            if (text.Length >= MaxShown)
            {
                text.Append('…');
                break;
            }

            if (b is >= 0x20 and < 0x7f && b != (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }

    public static string Shown(string value) => Shown(Encoding.Latin1.GetBytes(value));

    public static string Hex(ulong value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:x}");

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The set bit numbers of a mask: "5, 63".</summary>
    public static string Bits(ulong mask)
    {
        var bits = new List<string>();
        for (var bit = 0; bit < 64; bit++)
        {
            if ((mask & (1UL << bit)) != 0)
            {
                bits.Add(Number(bit));
            }
        }

        return string.Join(", ", bits);
    }
}

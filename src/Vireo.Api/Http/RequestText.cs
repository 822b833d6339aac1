using System.Globalization;

namespace Vireo.Api.Http;

/// <summary>What one string taken from a request may hold.</summary>
/// <param name="MaxLength">The most characters (Unicode code points, as Nova counts them).</param>
/// <param name="AllowLineBreaks">Whether tab, line feed and carriage return may appear (free text); other control characters never may.</param>
/// <param name="TrimmedEnds">Whether white space at either end is refused (Nova's names).</param>
internal sealed record TextRule(int MaxLength, bool AllowLineBreaks = false, bool TrimmedEnds = false)
{
    /// <summary>Nova's name columns are String(255) and its name schema refuses leading and trailing white space.</summary>
    public static TextRule Name { get; } = new(255, TrimmedEnds: true);

    /// <summary>Ids, references, formats, enumerations, property keys, path segments: 255 characters, one line.</summary>
    public static TextRule Token { get; } = new(255);

    /// <summary>A query parameter's value (a list of ids fits).</summary>
    public static TextRule QueryValue { get; } = new(4096);

    /// <summary>Any other string inside a JSON body, e.g. an image property's value (Glance keeps them as text).</summary>
    public static TextRule Free { get; } = new(65535, AllowLineBreaks: true);
}

/// <summary>
/// The one check every string from a request passes (body fields through <see cref="JsonBody"/>,
/// path and query parameters through <see cref="RequestTextFilter"/>): valid Unicode (no lone
/// surrogate), no control character, no noncharacter (U+FFFE, U+FFFF, ...), at most the field's
/// length. Each refusal is a 400 that names the field and the problem.
/// </summary>
internal static class RequestText
{
    /// <summary>The text, or a 400 naming <paramref name="field"/> and what is wrong with it.</summary>
    public static string Require(string text, string field, TextRule rule)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Problem(text, rule) is { } problem
            ? throw ApiRequestException.BadRequest($"{field} {problem}")
            : text;
    }

    /// <summary>What is wrong with <paramref name="text"/> as one clause (e.g. "contains ..."), or null when it is fine.</summary>
    public static string? Problem(string text, TextRule rule)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rule);
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            length++;
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains a lone surrogate {Show(c)} at character {length}, which is not valid Unicode; send the text as valid UTF-8";
            }
            else if (char.IsControl(c) && !(rule.AllowLineBreaks && c is '\t' or '\n' or '\r'))
            {
                return $"contains the control character {Show(c)} at character {length}; remove it";
            }

            if (IsNoncharacter(codePoint))
            {
                return $"contains the noncharacter {Show(codePoint)} at character {length}; remove it";
            }
        }

        if (length > rule.MaxLength)
        {
            return $"is {length} characters long; use at most {rule.MaxLength}";
        }

        if (rule.TrimmedEnds && text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            return "must not begin or end with white space; remove it";
        }

        return null;
    }

    /// <summary>Unicode's noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.</summary>
    public static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    private static string Show(int codePoint) => "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Loading;

/// <summary>Reads an option's (interpolated) text as its type; choices and cross-option rules are checked elsewhere.</summary>
internal static partial class ValueConverter
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "0"];

    /// <summary>Converts one text. On failure <paramref name="problem"/> ends the sentence "[group] key = value ...".</summary>
    public static bool TryConvert(OptionDefinition option, string text, out object? value, out string problem) =>
        TryConvert(option, text, out value, out problem, out _);

    /// <summary>As above; <paramref name="code"/> tells an out-of-range number from an unreadable value.</summary>
    public static bool TryConvert(OptionDefinition option, string text, out object? value, out string problem, out string code)
    {
        value = null;
        problem = "";
        code = DiagnosticCodes.InvalidValue;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 && option.Type is not (OptionType.String or OptionType.List or OptionType.MultiString))
        {
            if (option.Default is { Length: > 0 })
            {
                problem = $"is empty; remove the line to use the default ({option.Default}) or give a value";
                return false;
            }
            return true;
        }
        switch (option.Type)
        {
            case OptionType.String:
            case OptionType.MultiString:
                value = text;
                return true;
            case OptionType.List:
                value = SplitList(text);
                return true;
            case OptionType.Boolean:
                var word = trimmed.ToLowerInvariant();
                if (TrueWords.Contains(word) || FalseWords.Contains(word))
                {
                    value = TrueWords.Contains(word);
                    return true;
                }
                problem = "is not a boolean; write true or false";
                return false;
            case OptionType.Integer:
            case OptionType.Port:
                var inRange = TryInteger(option, trimmed, out value, out problem, out var outOfRange);
                code = outOfRange ? DiagnosticCodes.OutOfRange : code;
                return inRange;
            case OptionType.IpAddress:
                if (TryIpAddress(trimmed, out var address))
                {
                    value = address;
                    return true;
                }
                problem = "is not an IPv4 or IPv6 address; write e.g. 192.0.2.10";
                return false;
            case OptionType.HostAddress:
                if (TryIpAddress(trimmed, out _) || IsHostName(trimmed))
                {
                    value = trimmed;
                    return true;
                }
                problem = "is neither an IP address nor a host name; write e.g. 192.0.2.10 or compute-01.example.com";
                return false;
            case OptionType.Uri:
                if (Uri.TryCreate(trimmed, UriKind.Absolute, out _) && trimmed.Contains("://", StringComparison.Ordinal))
                {
                    value = trimmed;
                    return true;
                }
                problem = "is not an absolute URI; write it as scheme://host/path";
                return false;
            case OptionType.Uuid:
                if (Guid.TryParseExact(trimmed, "D", out var guid))
                {
                    value = guid;
                    return true;
                }
                problem = "is not a UUID; write it as 8-4-4-4-12 hexadecimal digits, e.g. 457eb676-33da-42ec-9a8c-9293d545c337";
                return false;
            case OptionType.AbsolutePath:
                if (trimmed.StartsWith('/') && !trimmed.Contains('\0', StringComparison.Ordinal))
                {
                    value = trimmed;
                    return true;
                }
                problem = "is not an absolute path; write a path starting with '/'";
                return false;
            case OptionType.Identifier:
                if (IdentifierPattern().IsMatch(trimmed))
                {
                    value = trimmed;
                    return true;
                }
                problem = "is not an identifier; use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
                return false;
            default:
                problem = "has a type Vireo cannot read";
                return false;
        }
    }

    /// <summary>oslo ListOpt: trims, drops trailing commas, splits on ',', trims each item; empty text is an empty list.</summary>
    public static IReadOnlyList<string> SplitList(string text)
    {
        var trimmed = text.Trim().TrimEnd(',');
        return trimmed.Length == 0 ? [] : [.. trimmed.Split(',').Select(item => item.Trim())];
    }

    private static bool TryInteger(OptionDefinition option, string text, out object? value, out string problem, out bool outOfRange)
    {
        value = null;
        outOfRange = false;
        var minimum = option.Minimum ?? (option.Type == OptionType.Port ? 1 : long.MinValue);
        var maximum = option.Maximum ?? (option.Type == OptionType.Port ? 65535 : long.MaxValue);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            problem = option.Type == OptionType.Port
                ? "is not a port number; write a whole number from 1 to 65535"
                : "is not a whole number; write digits only, e.g. " + (option.Default ?? "10");
            return false;
        }
        if (number < minimum || number > maximum)
        {
            outOfRange = true;
            problem = (minimum, maximum) switch
            {
                (long.MinValue, _) => $"is above the maximum; use at most {maximum}",
                (_, long.MaxValue) => $"is below the minimum; use {minimum} or more",
                _ => $"is out of range; use a value from {minimum} to {maximum}",
            };
            return false;
        }
        value = number;
        problem = "";
        return true;
    }

    private static bool TryIpAddress(string text, out IPAddress? address)
    {
        address = null;
        if (!IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }
        // IPAddress.TryParse also takes "10" or "10.1" (inet_aton forms) that oslo's strict check refuses.
        if (parsed.AddressFamily == AddressFamily.InterNetwork && !DottedQuadPattern().IsMatch(text))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    private static bool IsHostName(string text) =>
        text.Length <= 253 && text.Split('.').All(label => HostLabelPattern().IsMatch(label));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex DottedQuadPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostLabelPattern();
}

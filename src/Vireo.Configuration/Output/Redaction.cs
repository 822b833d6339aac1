using System.Text.RegularExpressions;
using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Output;

/// <summary>Hides secrets before any value is printed: whole secret options, and passwords inside URLs in every value.</summary>
public static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>The text of <paramref name="option"/>'s value as it may be shown to anyone.</summary>
    public static string Display(OptionDefinition option, string text)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(text);
        if (option.Secret == SecretKind.Whole)
        {
            return text.Length == 0 ? "" : Mask;
        }
        return RedactUrlPasswords(text).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// Replaces the password of every <c>scheme://user:password@host</c> (also in multi-host URLs such as
    /// <c>rabbit://u:p@h1,u:p@h2/</c>). The match runs to the last '@' of the word, so it may hide more than the
    /// password but never less.
    /// </summary>
    public static string RedactUrlPasswords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UrlPassword().Replace(text, m => $"{m.Groups["prefix"].Value}{m.Groups["user"].Value}:{Mask}@");
    }

    [GeneratedRegex(@"(?<prefix>://)(?<user>[^:@/\s]*):(?<password>\S*)@")]
    private static partial Regex UrlPassword();
}

using Vireo.Core;

namespace Vireo.Virt;

/// <summary>Reads image properties the way Nova's image metadata fields do (rules in <see cref="ImagePropertyRules"/>).</summary>
public static class ImageProperties
{
    public const string QemuGuestAgent = ImagePropertyRules.QemuGuestAgent;

    /// <summary>
    /// Nova's FlexibleBooleanField (oslo <c>strutils.bool_from_string</c>, non-strict): the strings
    /// 1/t/true/on/y/yes in any case, surrounding blanks ignored, are true; anything else is false.
    /// </summary>
    public static bool IsTrue(IReadOnlyDictionary<string, string> properties, string key) => ImagePropertyRules.IsTrue(properties, key);
}

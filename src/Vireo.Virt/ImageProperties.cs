namespace Vireo.Virt;

/// <summary>Reads image properties the way Nova's image metadata fields do.</summary>
public static class ImageProperties
{
    public const string QemuGuestAgent = "hw_qemu_guest_agent";

    private static readonly string[] TrueStrings = ["1", "t", "true", "on", "y", "yes"];

    /// <summary>
    /// Nova's FlexibleBooleanField (oslo <c>strutils.bool_from_string</c>, non-strict): the strings
    /// 1/t/true/on/y/yes in any case, surrounding blanks ignored, are true; anything else is false.
    /// </summary>
    public static bool IsTrue(string? value) =>
        value is not null && TrueStrings.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

    public static bool IsTrue(IReadOnlyDictionary<string, string> properties, string key)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.TryGetValue(key, out var value) && IsTrue(value);
    }
}

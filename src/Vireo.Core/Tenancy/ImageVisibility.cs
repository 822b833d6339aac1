namespace Vireo.Core.Tenancy;

/// <summary>
/// Glance's image visibility (glance/api/v2/images.py, glance/domain/__init__.py): a closed set.
/// <c>shared</c> means "visible to the owner and the image's members"; there is no member API yet,
/// so a shared image is the owner's alone.
/// </summary>
public enum ImageVisibility
{
    Private,
    Shared,
    Community,
    Public,
}

public static class ImageVisibilities
{
    private static readonly Dictionary<ImageVisibility, string> Names = new()
    {
        [ImageVisibility.Private] = "private",
        [ImageVisibility.Shared] = "shared",
        [ImageVisibility.Community] = "community",
        [ImageVisibility.Public] = "public",
    };

    private static readonly Dictionary<string, ImageVisibility> ByName =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The wire names, in Glance's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Values];

    public static string ToGlance(this ImageVisibility visibility) => Names[visibility];

    /// <summary>The visibility a Glance word names; null for any other word (the caller says what it accepts).</summary>
    public static ImageVisibility? TryParse(string? name) =>
        name is not null && ByName.TryGetValue(name, out var visibility) ? visibility : null;

    /// <summary>A stored visibility; a word that is none is the store's corruption, not the caller's mistake.</summary>
    public static ImageVisibility Parse(string name) =>
        TryParse(name) ?? throw new VireoException(ErrorKind.Internal, $"unknown image visibility '{name}'; expected one of {string.Join(", ", All)}");
}

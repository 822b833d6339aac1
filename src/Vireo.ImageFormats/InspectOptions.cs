namespace Vireo.ImageFormats;

/// <summary>What the caller knows besides the bytes: the declared format and the VMDK policy.</summary>
public sealed record InspectOptions
{
    /// <summary>Nova's default for <c>[compute] vmdk_allowed_types</c>.</summary>
    public static IReadOnlyList<string> DefaultVmdkAllowedTypes { get; } = ["monolithicSparse", "streamOptimized"];

    public static InspectOptions Default { get; } = new();

    /// <summary>
    /// The format the image was registered with (Glance's <c>disk_format</c>, see
    /// <see cref="DeclaredFormats.TryParse"/>); null checks the content alone.
    /// </summary>
    public string? DeclaredFormat { get; init; }

    /// <summary><c>[compute] vmdk_allowed_types</c>: the VMDK <c>createType</c> values accepted, compared ignoring case.</summary>
    public IReadOnlyList<string> VmdkAllowedTypes { get; init; } = DefaultVmdkAllowedTypes;
}

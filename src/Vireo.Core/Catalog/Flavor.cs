namespace Vireo.Core;

/// <summary>
/// A flavor: the size of a server. Ids are strings as in Nova (the defaults are "1".."5").
/// </summary>
/// <param name="ExtraSpecs">Free-form <c>hw:*</c>-style keys read by the guest config builder.</param>
public sealed record Flavor(
    string Id,
    string Name,
    int Vcpus,
    int MemoryMiB,
    int RootDiskGiB,
    int EphemeralGiB,
    int SwapMiB,
    IReadOnlyDictionary<string, string> ExtraSpecs,
    bool IsPublic = true,
    string? Description = null)
{
    public static IReadOnlyDictionary<string, string> NoExtraSpecs { get; } = new Dictionary<string, string>();

    /// <summary>"flavor 'm1.tiny' (id 1)": how messages name a flavor.</summary>
    public string Label => $"flavor '{Name}' (id {Id})";
}

namespace Vireo.Core;

/// <summary>Glance's image statuses, with Glance's wire names (see <see cref="ImageStatusNames"/>).</summary>
public enum ImageStatus
{
    Queued,
    Saving,
    Uploading,
    Importing,
    Active,
    Deactivated,
    Killed,
    Deleted,
    PendingDelete,
}

public static class ImageStatusNames
{
    private static readonly Dictionary<ImageStatus, string> Names = new()
    {
        [ImageStatus.Queued] = "queued",
        [ImageStatus.Saving] = "saving",
        [ImageStatus.Uploading] = "uploading",
        [ImageStatus.Importing] = "importing",
        [ImageStatus.Active] = "active",
        [ImageStatus.Deactivated] = "deactivated",
        [ImageStatus.Killed] = "killed",
        [ImageStatus.Deleted] = "deleted",
        [ImageStatus.PendingDelete] = "pending_delete",
    };

    private static readonly Dictionary<string, ImageStatus> ByName =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string ToGlance(this ImageStatus status) => Names[status];

    public static ImageStatus ParseImageStatus(string name) =>
        ByName.TryGetValue(name, out var status)
            ? status
            : throw new VireoException(ErrorKind.Internal, $"unknown image status '{name}'; expected one of {string.Join(", ", ByName.Keys)}");
}

/// <summary>
/// An image's metadata as registered (Glance v2 fields). <see cref="DiskFormat"/> is what
/// the uploader declared; the format is still detected before use.
/// </summary>
/// <param name="DiskFormat">Glance's <c>disk_format</c> (one of <see cref="DiskFormats.Accepted"/> for an image registered here); null until set.</param>
/// <param name="ContainerFormat">Glance's <c>container_format</c>, normally <c>bare</c>.</param>
/// <param name="VirtualSizeBytes">The guest-visible size once inspected; null before.</param>
/// <param name="Sha256">Hex digest of the stored bytes (Glance's <c>os_hash_value</c> with <c>os_hash_algo=sha256</c>).</param>
/// <param name="Properties">Free-form properties such as <c>hw_qemu_guest_agent=yes</c>.</param>
public sealed record ImageRecord(
    Guid Id,
    string Name,
    ImageStatus Status,
    DiskFormat? DiskFormat,
    string? ContainerFormat,
    long? SizeBytes,
    long? VirtualSizeBytes,
    string? Sha256,
    int MinDiskGiB,
    int MinRamMiB,
    IReadOnlyDictionary<string, string> Properties,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static IReadOnlyDictionary<string, string> NoProperties { get; } = new Dictionary<string, string>();

    /// <summary>
    /// Glance's <c>checksum</c>: the MD5 hex digest of the stored bytes, kept for clients that
    /// still compare it (MD5 proves nothing against a forger; <see cref="Sha256"/> is the one to trust).
    /// </summary>
    public string? Md5 { get; init; }

    /// <summary>The owning project (Glance's <c>owner</c>).</summary>
    public string Owner { get; init; } = Tenancy.Owners.DefaultProjectId;

    /// <summary>Who else sees it (Glance's <c>visibility</c>); private unless said otherwise, as Glance creates images.</summary>
    public Tenancy.ImageVisibility Visibility { get; init; } = Tenancy.ImageVisibility.Private;

    /// <summary>"image 'cirros' (id ...)": how messages name an image.</summary>
    public string Label => $"image '{Name}' ({Id})";
}

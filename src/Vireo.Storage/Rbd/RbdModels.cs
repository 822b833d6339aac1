using System.Text.Json.Serialization;

namespace Vireo.Storage.Rbd;

/// <summary>The parent snapshot of a copy-on-write clone.</summary>
public sealed record RbdParent(string Pool, string Image, string Snapshot);

/// <summary>What <c>rbd info</c> says of one image.</summary>
/// <param name="Format">RBD image format (2 for every image Vireo makes; clones need it).</param>
public sealed record RbdImageInfo(string Name, string Id, long SizeBytes, int Format, IReadOnlyList<string> Features, RbdParent? Parent)
{
    /// <summary>When the image was created (its <c>create_timestamp</c>); null when rbd does not say.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The <c>create_timestamp</c> text as rbd printed it (ctime, rbd's local time).</summary>
    public string? CreateTimestampText { get; init; }
}

/// <summary>One snapshot of an image (<c>rbd snap ls</c>).</summary>
public sealed record RbdSnapshot(string Name, long SizeBytes, bool IsProtected);

/// <summary>One line of <c>rbd du</c>: an image (Snapshot null) or one of its snapshots.</summary>
/// <param name="ProvisionedBytes">The virtual size.</param>
/// <param name="UsedBytes">What the image (or snapshot) really holds in the cluster (needs fast-diff to be exact).</param>
public sealed record RbdDiskUsage(string Image, string? Snapshot, long ProvisionedBytes, long UsedBytes);

// The shapes of rbd's --format json output (src/tools/rbd/action/Info.cc, DiskUsage.cc, Children.cc, Snap.cc).
internal sealed record RbdInfoJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("features")] List<string>? Features,
    [property: JsonPropertyName("parent")] RbdParentJson? Parent)
{
    /// <summary>ctime(3) text in the rbd process's local time, e.g. "Mon Dec  7 19:41:43 2026" (src/tools/rbd/action/Info.cc).</summary>
    [JsonPropertyName("create_timestamp")]
    public string? CreateTimestamp { get; init; }
}

internal sealed record RbdParentJson(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("snapshot")] string Snapshot);

internal sealed record RbdChildJson(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("image")] string Image);

internal sealed record RbdSnapJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("protected")] string? Protected);

internal sealed record RbdDuJson([property: JsonPropertyName("images")] List<RbdDuImageJson>? Images);

internal sealed record RbdDuImageJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("snapshot")] string? Snapshot,
    [property: JsonPropertyName("provisioned_size")] long ProvisionedSize,
    [property: JsonPropertyName("used_size")] long UsedSize);

[JsonSerializable(typeof(RbdInfoJson))]
[JsonSerializable(typeof(List<RbdChildJson>))]
[JsonSerializable(typeof(List<RbdSnapJson>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(RbdDuJson))]
internal sealed partial class RbdJson : JsonSerializerContext;

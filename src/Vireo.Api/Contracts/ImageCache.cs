using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>
/// <c>GET /v2.1/vireo-image-cache</c>, a Vireo extension: every entry of the base image directory
/// with its users and what the cache manager's next pass does with it.
/// </summary>
public sealed record ImageCacheResponse
{
    [JsonPropertyName("vireo_image_cache")]
    public required ImageCacheView Cache { get; init; }
}

public sealed record ImageCacheView
{
    /// <summary>Seconds between passes ([image_cache] manager_interval); null when no pass runs.</summary>
    [JsonPropertyName("interval_seconds")]
    public long? IntervalSeconds { get; init; }

    /// <summary>When the cache was read (ISO 8601, UTC).</summary>
    [JsonPropertyName("read_at")]
    public required string ReadAt { get; init; }

    [JsonPropertyName("entries")]
    public required IReadOnlyList<ImageCacheEntryView> Entries { get; init; }
}

public sealed record ImageCacheEntryView
{
    /// <summary>The file name in the base directory.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>base, resized_base, ephemeral_template, swap_template, filling, unknown, or rbd_base (an RBD base in images_rbd_pool, named pool/image).</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The image a base belongs to; null for templates and for images no longer in the store.</summary>
    [JsonPropertyName("image_id")]
    public string? ImageId { get; init; }

    [JsonPropertyName("image_name")]
    public string? ImageName { get; init; }

    [JsonPropertyName("size_bytes")]
    public long SizeBytes { get; init; }

    /// <summary>Seconds since it was last used (filled, leased or read).</summary>
    [JsonPropertyName("age_seconds")]
    public long AgeSeconds { get; init; }

    /// <summary>The instances and instance directories (of any host sharing instances_path) that use it.</summary>
    [JsonPropertyName("users")]
    public required IReadOnlyList<string> Users { get; init; }

    /// <summary>What the next pass does: in_use, keep, remove, filling or unknown (reported, never removed).</summary>
    [JsonPropertyName("next_pass")]
    public required string NextPass { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }
}

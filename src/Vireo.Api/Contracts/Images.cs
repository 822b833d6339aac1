using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>An image as Glance v2 shows it; custom properties are top-level string keys.</summary>
public sealed record ImageView
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>queued, saving, active, killed, deleted, pending_delete, deactivated, uploading, importing.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("visibility")]
    public required string Visibility { get; init; }

    [JsonPropertyName("protected")]
    public required bool Protected { get; init; }

    [JsonPropertyName("os_hidden")]
    public required bool OsHidden { get; init; }

    /// <summary>Glance's legacy md5; Vireo keeps sha256 only, so null.</summary>
    [JsonPropertyName("checksum")]
    public string? Checksum { get; init; }

    [JsonPropertyName("os_hash_algo")]
    public string? OsHashAlgo { get; init; }

    [JsonPropertyName("os_hash_value")]
    public string? OsHashValue { get; init; }

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("size")]
    public long? Size { get; init; }

    [JsonPropertyName("virtual_size")]
    public long? VirtualSize { get; init; }

    [JsonPropertyName("min_disk")]
    public required int MinDisk { get; init; }

    [JsonPropertyName("min_ram")]
    public required int MinRam { get; init; }

    [JsonPropertyName("disk_format")]
    public string? DiskFormat { get; init; }

    [JsonPropertyName("container_format")]
    public string? ContainerFormat { get; init; }

    [JsonPropertyName("created_at")]
    public required string CreatedAt { get; init; }

    [JsonPropertyName("updated_at")]
    public required string UpdatedAt { get; init; }

    [JsonPropertyName("tags")]
    public required IReadOnlyList<string> Tags { get; init; }

    [JsonPropertyName("self")]
    public required string Self { get; init; }

    [JsonPropertyName("file")]
    public required string File { get; init; }

    [JsonPropertyName("schema")]
    public required string Schema { get; init; }

    /// <summary>The image's own properties, e.g. <c>hw_qemu_guest_agent</c>, written as top-level keys.</summary>
    /// <remarks>
    /// A setter, not init: generated serialization code passes init-only properties to the constructor,
    /// and extension data cannot be a constructor parameter (System.Text.Json refuses the type).
    /// </remarks>
    [JsonExtensionData]
    public IDictionary<string, JsonElement> Properties { get; set; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
}

/// <summary><c>GET /v2/images</c>.</summary>
public sealed record ImageListResponse
{
    [JsonPropertyName("images")]
    public required IReadOnlyList<ImageView> Images { get; init; }

    [JsonPropertyName("first")]
    public required string First { get; init; }

    [JsonPropertyName("schema")]
    public required string Schema { get; init; }
}

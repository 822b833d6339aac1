using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>
/// <c>GET /v2.1/vireo-orphans</c>, a Vireo extension: guests of this installation, instance
/// directories it made on this host, and RBD images and logical volumes named <c>&lt;uuid&gt;_*</c>
/// that have no database row. Reconciliation leaves them
/// untouched; <c>DELETE /v2.1/vireo-orphans/{id}</c> removes one.
/// </summary>
public sealed record OrphanListResponse
{
    [JsonPropertyName("vireo_orphans")]
    public required IReadOnlyList<OrphanView> Orphans { get; init; }
}

public sealed record OrphanView
{
    /// <summary>The instance id the guest and directory are named by.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>guest, directory or both; rbd_image or logical_volume when it is only disks outside any instance directory.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The instance directory; null when there is none.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>The guest's power state (RUNNING, SHUTDOWN...); null when there is no guest.</summary>
    [JsonPropertyName("domain_state")]
    public string? DomainState { get; init; }

    /// <summary>The bytes of the directory's files; null when there is no directory or it could not be read.</summary>
    [JsonPropertyName("size_bytes")]
    public long? SizeBytes { get; init; }

    /// <summary>Its disks outside any instance directory (RBD images, logical volumes); empty when none.</summary>
    [JsonPropertyName("disks")]
    public IReadOnlyList<OrphanDiskView> Disks { get; init; } = [];
}

/// <summary>An RBD image or logical volume named after the orphan's id.</summary>
public sealed record OrphanDiskView
{
    /// <summary>rbd_image or logical_volume.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>pool/image or vg/lv.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Its provisioned size; null when the listing did not give it.</summary>
    [JsonPropertyName("size_bytes")]
    public long? SizeBytes { get; init; }
}

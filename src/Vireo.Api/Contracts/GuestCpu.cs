using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>
/// <c>GET /v2.1/servers/{id}/vireo-guest-cpu</c>, a Vireo extension: the guest CPU read from the
/// running guest at its last boot. Kept out of Nova's server body, whose schemas Tempest checks
/// with additionalProperties=false.
/// </summary>
public sealed record GuestCpuResponse
{
    [JsonPropertyName("vireo_guest_cpu")]
    public required GuestCpuView GuestCpu { get; init; }
}

/// <param name="Recorded">False for a server whose CPU was never read (created before Vireo recorded it, or the read failed); every other field is then null or empty.</param>
public sealed record GuestCpuView
{
    [JsonPropertyName("server_id")]
    public required string ServerId { get; init; }

    [JsonPropertyName("recorded")]
    public required bool Recorded { get; init; }

    /// <summary>host-model, host-passthrough, custom or none: what the guest was defined with.</summary>
    [JsonPropertyName("requested_mode")]
    public string? RequestedMode { get; init; }

    /// <summary>The running CPU's mode: custom once libvirt expanded host-model.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("vendor")]
    public string? Vendor { get; init; }

    [JsonPropertyName("features")]
    public IReadOnlyList<GuestCpuFeatureView> Features { get; init; } = [];

    [JsonPropertyName("nested")]
    public GuestNestedView? Nested { get; init; }

    [JsonPropertyName("recorded_at")]
    public string? RecordedAt { get; init; }
}

public sealed record GuestCpuFeatureView
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("policy")]
    public required string Policy { get; init; }
}

/// <summary>Whether vmx/svm reaches the guest; <see cref="Exposed"/> null when the XML cannot tell (host-passthrough).</summary>
public sealed record GuestNestedView
{
    [JsonPropertyName("exposed")]
    public bool? Exposed { get; init; }

    [JsonPropertyName("feature")]
    public string? Feature { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }
}

using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>One API version as Nova's discovery documents describe it.</summary>
public sealed record ApiVersion
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The maximum microversion.</summary>
    [JsonPropertyName("version")]
    public required string Version { get; init; }

    [JsonPropertyName("min_version")]
    public required string MinVersion { get; init; }

    [JsonPropertyName("updated")]
    public required string Updated { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }

    /// <summary>Only in <c>GET /v2.1</c>.</summary>
    [JsonPropertyName("media-types")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MediaType>? MediaTypes { get; init; }
}

public sealed record MediaType
{
    [JsonPropertyName("base")]
    public required string Base { get; init; }

    [JsonPropertyName("type")]
    public required string Type { get; init; }
}

/// <summary><c>GET /</c>.</summary>
public sealed record VersionsResponse
{
    [JsonPropertyName("versions")]
    public required IReadOnlyList<ApiVersion> Versions { get; init; }
}

/// <summary><c>GET /v2.1</c>.</summary>
public sealed record VersionResponse
{
    [JsonPropertyName("version")]
    public required ApiVersion Version { get; init; }
}

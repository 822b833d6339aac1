using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>A link of a resource, Nova's <c>{"rel": "self", "href": "..."}</c>.</summary>
public sealed record Link
{
    [JsonPropertyName("rel")]
    public required string Rel { get; init; }

    [JsonPropertyName("href")]
    public required string Href { get; init; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }
}

/// <summary>The inside of Nova's error body <c>{"itemNotFound": {"code": 404, "message": "..."}}</c>.</summary>
public sealed record FaultDetail
{
    [JsonPropertyName("code")]
    public required int Code { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }
}

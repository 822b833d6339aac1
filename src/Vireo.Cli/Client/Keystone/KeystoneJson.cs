using System.Text.Json.Serialization;
using Vireo.Identity;

namespace Vireo.Cli.Client.Keystone;

/// <summary>
/// The token cache's files, serialized by generated code only; the catalog in them is Identity's
/// (<see cref="CatalogService"/>), written with Keystone's own member names.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CachedToken))]
internal sealed partial class KeystoneJsonContext : JsonSerializerContext;

/// <summary>A token file of the cache: the token, its expiry and its catalog.</summary>
internal sealed record CachedToken(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("catalog")] IReadOnlyList<CatalogService> Catalog);

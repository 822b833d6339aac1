using System.Text.Json.Serialization;

namespace Vireo.Cli.Client.Keystone;

/// <summary>
/// The documents of Keystone's <c>POST /v3/auth/tokens</c> (api-ref identity v3, "Authentication and
/// token management") and of the token cache, serialized by generated code only.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CachedToken))]
internal sealed partial class KeystoneJsonContext : JsonSerializerContext;

internal sealed record AuthRequest([property: JsonPropertyName("auth")] AuthBody Auth);

internal sealed record AuthBody(
    [property: JsonPropertyName("identity")] AuthIdentity Identity,
    [property: JsonPropertyName("scope")] AuthScope Scope);

internal sealed record AuthIdentity(
    [property: JsonPropertyName("methods")] IReadOnlyList<string> Methods,
    [property: JsonPropertyName("password")] PasswordMethod? Password,
    [property: JsonPropertyName("token")] TokenMethod? Token);

internal sealed record PasswordMethod([property: JsonPropertyName("user")] UserRef User);

internal sealed record UserRef(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("domain")] DomainRef? Domain,
    [property: JsonPropertyName("password")] string Password);

internal sealed record TokenMethod([property: JsonPropertyName("id")] string Id);

internal sealed record AuthScope([property: JsonPropertyName("project")] ProjectRef Project);

internal sealed record ProjectRef(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("domain")] DomainRef? Domain);

internal sealed record DomainRef(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name);

internal sealed record TokenResponse([property: JsonPropertyName("token")] TokenBody? Token);

internal sealed record TokenBody(
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("catalog")] IReadOnlyList<CatalogService>? Catalog);

/// <summary>One service of a token's catalog.</summary>
public sealed record CatalogService(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("endpoints")] IReadOnlyList<CatalogEndpoint>? Endpoints);

/// <summary>One endpoint of a catalog service (<c>region_id</c> is v3's, <c>region</c> the older name of the same).</summary>
public sealed record CatalogEndpoint(
    [property: JsonPropertyName("interface")] string? Interface,
    [property: JsonPropertyName("region_id")] string? RegionId,
    [property: JsonPropertyName("region")] string? Region,
    [property: JsonPropertyName("url")] string? Url);

/// <summary>A token file of the cache: the token, its expiry and its catalog.</summary>
internal sealed record CachedToken(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("catalog")] IReadOnlyList<CatalogService> Catalog);

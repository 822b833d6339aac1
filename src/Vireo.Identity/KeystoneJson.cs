using System.Text.Json.Serialization;

namespace Vireo.Identity;

// The Identity API v3 bodies this project sends and reads (keystone/api/auth.py; the API reference's
// "Password authentication with scoped authorization", "Token authentication with scoped authorization"
// and "Validate and show information for token").
// Only the members read are declared; the rest of a token body is ignored.

internal sealed record AuthRequest(AuthBody Auth);

internal sealed record AuthBody(AuthIdentity Identity, AuthScope? Scope);

internal sealed record AuthIdentity(IReadOnlyList<string> Methods, PasswordMethod? Password, TokenMethod? Token);

internal sealed record PasswordMethod(PasswordUser User);

/// <summary>A user by id, or by name with an optional domain (absent members are left out).</summary>
internal sealed record PasswordUser(string? Id, string? Name, DomainRef? Domain, string Password);

internal sealed record TokenMethod(string Id);

/// <summary>A domain by id or by name (one of them null, and then left out).</summary>
internal sealed record DomainRef(string? Id, string? Name);

internal sealed record AuthScope(ScopeProject Project);

internal sealed record ScopeProject(string? Id, string? Name, DomainRef? Domain);

internal sealed record TokenResponse(TokenBody? Token);

internal sealed record TokenBody
{
    public string? ExpiresAt { get; init; }

    public IdName? User { get; init; }

    public IdName? Project { get; init; }

    public IdName? Domain { get; init; }

    public IReadOnlyList<IdName>? Roles { get; init; }

    public IReadOnlyList<CatalogService>? Catalog { get; init; }
}

internal sealed record IdName(string? Id, string? Name);

internal sealed record ErrorResponse(ErrorBody? Error);

internal sealed record ErrorBody(int? Code, string? Title, string? Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;

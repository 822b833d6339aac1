using Vireo.Cli.Client.Auth;

namespace Vireo.Cli.Client.Keystone;

/// <summary>A token Keystone issued (the <c>X-Subject-Token</c> header), when it expires and the catalog that came with it.</summary>
public sealed record IssuedToken(Secret Token, DateTimeOffset ExpiresAt, IReadOnlyList<CatalogService> Catalog)
{
    /// <summary>Whether it is still worth sending at <paramref name="now"/>: until 60 s before it expires.</summary>
    public bool IsFreshAt(DateTimeOffset now) => now < ExpiresAt - TimeSpan.FromSeconds(60);
}

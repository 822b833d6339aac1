using Vireo.Cli.Client.Auth;
using Vireo.Identity;

namespace Vireo.Cli.Client.Keystone;

/// <summary>A token Keystone issued the CLI (the <c>X-Subject-Token</c> header), when it expires and the catalog that came with it, as the token cache keeps it.</summary>
public sealed record IssuedToken(Secret Token, DateTimeOffset ExpiresAt, IReadOnlyList<CatalogService> Catalog)
{
    /// <summary>Whether it is still worth sending at <paramref name="now"/>: until 60 s before it expires.</summary>
    public bool IsFreshAt(DateTimeOffset now) => now < ExpiresAt - TimeSpan.FromSeconds(60);
}

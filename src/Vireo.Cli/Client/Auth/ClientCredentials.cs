namespace Vireo.Cli.Client.Auth;

/// <summary>
/// How client commands prove who they are, resolved once per command by <see cref="CredentialResolver"/>:
/// a Keystone password, a Keystone token, or none (Nova's noauth2 <c>X-Auth-Token: user:project</c>).
/// A closed set: the three records below are the only kinds.
/// </summary>
public abstract record ClientCredentials
{
    private ClientCredentials()
    {
    }

    /// <summary>Where the credentials came from, as messages name it (never a secret).</summary>
    public abstract string Origin { get; }

    /// <summary>noauth2: <c>X-Auth-Token: User:Project</c> (Nova's nova/api/openstack/auth.py NoAuthMiddleware).</summary>
    public sealed record NoAuth(string User, string Project, string Origin) : ClientCredentials
    {
        public static NoAuth Admin { get; } = new("admin", "admin", "no OS_CLOUD or OS_AUTH_URL set: noauth2 as admin");

        public override string Origin { get; } = Origin;

        public string Header => $"{User}:{Project}";
    }

    /// <summary>A token issued by Keystone for a user's password, scoped to a project.</summary>
    /// <param name="SecretOrigin">Where the password was read (<c>OS_PASSWORD</c>, <c>auth.password of cloud 'x' in F</c>).</param>
    public sealed record KeystonePassword(KeystoneScope Scope, NamedInDomain User, Secret Password, string Origin, string SecretOrigin) : ClientCredentials
    {
        public override string Origin { get; } = Origin;
    }

    /// <summary>A token issued by Keystone for an existing token (Keystone's token method), scoped to a project.</summary>
    public sealed record KeystoneToken(KeystoneScope Scope, Secret Token, string Origin, string SecretOrigin) : ClientCredentials
    {
        public override string Origin { get; } = Origin;
    }
}

/// <summary>Keystone, the project a token is scoped to, and which endpoint of the catalog to use.</summary>
/// <param name="AuthUrl">The identity v3 root, ending in <c>/v3</c>.</param>
public sealed record KeystoneScope(
    Uri AuthUrl,
    NamedInDomain Project,
    string? RegionName,
    string Interface);

/// <summary>
/// A Keystone v3 object named by id, or by name within a domain given by name or id
/// (api-ref identity v3 "Password authentication with scoped authorization").
/// </summary>
public sealed record NamedInDomain(string? Id, string? Name, string? DomainId, string? DomainName)
{
    /// <summary>How messages name it: the name (or id) and the domain.</summary>
    public string Display => Id ?? (DomainName ?? DomainId) switch
    {
        null => Name ?? "?",
        var domain => $"{Name} (domain {domain})",
    };

    /// <summary>A stable text for the token cache's key.</summary>
    public string Key => Id is { } id ? "id:" + id : $"name:{Name}@{DomainId ?? string.Empty}/{DomainName ?? string.Empty}";
}

/// <summary>A password or token: <see cref="ToString"/> never shows it, so no message or log can.</summary>
public sealed class Secret(string value)
{
    public string Reveal() => value;

    public override string ToString() => "(secret)";
}

namespace Vireo.Identity;

/// <summary>A user or project named by its id, or by its name within an optional domain (api-ref identity v3, "Authentication and token management").</summary>
public sealed record KeystoneRef
{
    private KeystoneRef(string? id, string? name, KeystoneDomain? domain)
    {
        Id = id;
        Name = name;
        Domain = domain;
    }

    public string? Id { get; }

    public string? Name { get; }

    /// <summary>The domain a name is looked up in; null for an id (ids are unique) or when Keystone's default applies.</summary>
    public KeystoneDomain? Domain { get; }

    public static KeystoneRef ById(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new(id, null, null);
    }

    public static KeystoneRef ByName(string name, KeystoneDomain? domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(null, name, domain);
    }

    public override string ToString() => Id ?? (Domain is null ? Name! : $"{Name} (domain {Domain})");
}

/// <summary>How a token request proves who it is: a closed set, the password method or the token method (keystone/auth/plugins).</summary>
public abstract record AuthMethod
{
    private AuthMethod()
    {
    }

    /// <summary>The secret the method carries, kept out of every message Keystone's answer turns into.</summary>
    internal abstract string Secret { get; }

    /// <summary>The <c>password</c> method: a user and the user's password (never shown).</summary>
    public sealed record Password(KeystoneRef User, string Value) : AuthMethod
    {
        internal override string Secret => Value;

        public override string ToString() => $"password of user {User}";
    }

    /// <summary>The <c>token</c> method: an existing token (never shown whole) exchanged for a new one.</summary>
    public sealed record Token(string Value) : AuthMethod
    {
        internal override string Secret => Value;

        public override string ToString() => $"token {TokenText.Prefix(Value)}…";
    }
}

/// <summary>A project-scoped token request; <paramref name="IncludeCatalog"/> false adds <c>?nocatalog</c>.</summary>
public sealed record TokenRequest(AuthMethod Method, KeystoneRef Project, bool IncludeCatalog)
{
    public override string ToString() => $"{Method} in project {Project}";
}

/// <summary>One service of a token's catalog (keystoneauth1/access/service_catalog.py reads the same members).</summary>
public sealed record CatalogService(string? Type, IReadOnlyList<CatalogEndpoint>? Endpoints);

/// <summary>One endpoint of a catalog service (<c>region_id</c> is v3's, <c>region</c> the older name of the same).</summary>
public sealed record CatalogEndpoint(string? Interface, string? RegionId, string? Region, string? Url);

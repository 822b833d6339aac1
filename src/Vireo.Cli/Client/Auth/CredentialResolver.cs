namespace Vireo.Cli.Client.Auth;

/// <summary>What the credentials are resolved from: the environment, the flags given, and the first clouds.yaml and secure.yaml found.</summary>
public sealed record CredentialInputs
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>--os-*</c> flags given, by flag name (<c>--os-cloud</c>).</summary>
    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>();

    /// <summary>The first clouds.yaml found in the search order, or null.</summary>
    public ConfigFileText? Clouds { get; init; }

    /// <summary>The first secure.yaml found in the search order, or null.</summary>
    public ConfigFileText? Secure { get; init; }

    /// <summary>Where clouds.yaml was looked for, in order (for the message when there is none).</summary>
    public IReadOnlyList<string> CloudsSearched { get; init; } = [];
}

/// <summary>The credentials, an endpoint that overrides the catalog's (or nova.conf's), and notes for standard error.</summary>
public sealed record ClientResolution(ClientCredentials Credentials, Uri? EndpointOverride, IReadOnlyList<string> Notes);

/// <summary>
/// Resolves a client's credentials the way the <c>openstack</c> client does (openstacksdk/config/loader.py
/// and python-openstackclient's option defaults): a cloud named by <c>--os-cloud</c> or <c>OS_CLOUD</c>
/// from clouds.yaml with secure.yaml merged over it, then the <c>OS_*</c> variables over that, then
/// the <c>--os-*</c> flags over both. Without a cloud and without an auth URL: noauth2 as admin.
/// Pure: every fact comes in <see cref="CredentialInputs"/>; an error is a <see cref="ClientFailure"/>
/// (exit 78) naming the file, cloud, key or variable and what to do.
/// </summary>
public static class CredentialResolver
{
    public const string CloudVariable = "OS_CLOUD";
    public const string CloudFlag = "--os-cloud";

    /// <summary>The <c>OS_*</c> variables read, and the openstacksdk key each sets (later entries of one key win).</summary>
    public static readonly IReadOnlyList<(string Variable, string Key)> Variables =
    [
        ("OS_AUTH_URL", "auth.auth_url"),
        ("OS_USERNAME", "auth.username"),
        ("OS_USER_ID", "auth.user_id"),
        ("OS_PASSWORD", "auth.password"),
        ("OS_TOKEN", "auth.token"),
        ("OS_TENANT_NAME", "auth.project_name"),
        ("OS_PROJECT_NAME", "auth.project_name"),
        ("OS_TENANT_ID", "auth.project_id"),
        ("OS_PROJECT_ID", "auth.project_id"),
        ("OS_USER_DOMAIN_NAME", "auth.user_domain_name"),
        ("OS_USER_DOMAIN_ID", "auth.user_domain_id"),
        ("OS_PROJECT_DOMAIN_NAME", "auth.project_domain_name"),
        ("OS_PROJECT_DOMAIN_ID", "auth.project_domain_id"),
        ("OS_DOMAIN_NAME", "auth.domain_name"),
        ("OS_DOMAIN_ID", "auth.domain_id"),
        ("OS_DEFAULT_DOMAIN", "default_domain"),
        ("OS_REGION_NAME", "region_name"),
        ("OS_ENDPOINT_TYPE", "interface"),
        ("OS_INTERFACE", "interface"),
        ("OS_AUTH_TYPE", "auth_type"),
        ("OS_COMPUTE_ENDPOINT_OVERRIDE", "compute_endpoint_override"),
    ];

    /// <summary>The <c>--os-*</c> flags (no password or token: a command line is visible to every user of the host).</summary>
    public static readonly IReadOnlyList<(string Flag, string Key)> FlagKeys =
    [
        ("--os-auth-url", "auth.auth_url"),
        ("--os-username", "auth.username"),
        ("--os-project-name", "auth.project_name"),
        ("--os-project-id", "auth.project_id"),
        ("--os-user-domain-name", "auth.user_domain_name"),
        ("--os-project-domain-name", "auth.project_domain_name"),
        ("--os-region-name", "region_name"),
        ("--os-interface", "interface"),
        ("--os-auth-type", "auth_type"),
    ];

    /// <summary>Keys openstacksdk moves into <c>auth</c> when a cloud gives them at its top level.</summary>
    private static readonly string[] AuthKeys =
    [
        "auth_url", "username", "user_id", "password", "token", "project_name", "project_id", "user_domain_name",
        "user_domain_id", "project_domain_name", "project_domain_id", "domain_name", "domain_id",
    ];

    private sealed record Setting(string Value, string Origin);

    public static ClientResolution Resolve(CredentialInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var notes = new List<string>();
        var settings = new Dictionary<string, Setting>(StringComparer.Ordinal);
        var cloud = Value(inputs.Flags, CloudFlag) is { } flagCloud
            ? new Setting(flagCloud, CloudFlag)
            : Value(inputs.Environment, CloudVariable) is { } envCloud ? new Setting(envCloud, CloudVariable) : null;

        string? cloudOrigin = null;
        if (cloud is not null)
        {
            cloudOrigin = ReadCloud(inputs, cloud, settings);
        }

        foreach (var (variable, key) in Variables)
        {
            if (Value(inputs.Environment, variable) is { } value)
            {
                settings[key] = new Setting(value, variable);
            }
        }

        foreach (var (flag, key) in FlagKeys)
        {
            if (Value(inputs.Flags, flag) is { } value)
            {
                settings[key] = new Setting(value, flag);
            }
        }

        if (Value(inputs.Environment, "OS_COMPUTE_API_VERSION") is { } version)
        {
            notes.Add($"OS_COMPUTE_API_VERSION={version} is ignored: vireo speaks compute microversion 2.1");
        }

        var endpoint = EndpointOverride(inputs, settings);
        var origin = cloudOrigin ?? "the OS_* environment variables";
        var authType = settings.GetValueOrDefault("auth_type");
        var kind = authType?.Value.Trim().ToLowerInvariant() switch
        {
            null or "" => cloud is null && !settings.ContainsKey("auth.auth_url") ? "admin" : "password",
            "password" or "v3password" => "password",
            "token" or "v3token" => "token",
            "none" or "noauth" => "none",
            _ => throw Failure($"auth_type '{authType!.Value}' (from {authType.Origin}) is not one vireo supports; use password, token or none"),
        };

        ClientCredentials credentials = kind switch
        {
            "admin" => ClientCredentials.NoAuth.Admin,
            "none" => new ClientCredentials.NoAuth(
                (settings.GetValueOrDefault("auth.username") ?? settings.GetValueOrDefault("auth.user_id"))?.Value ?? "admin",
                (settings.GetValueOrDefault("auth.project_id") ?? settings.GetValueOrDefault("auth.project_name"))?.Value ?? "admin",
                $"auth_type none (from {authType!.Origin}): noauth2"),
            "token" => new ClientCredentials.KeystoneToken(
                Scope(settings, cloud),
                new Secret(Required(settings, "auth.token", cloud, "OS_TOKEN", "with auth_type token").Value),
                origin,
                settings["auth.token"].Origin),
            _ => Password(settings, cloud, origin),
        };

        return new ClientResolution(credentials, endpoint, notes);
    }

    private static ClientCredentials.KeystonePassword Password(Dictionary<string, Setting> settings, Setting? cloud, string origin)
    {
        var scope = Scope(settings, cloud);
        var userId = settings.GetValueOrDefault("auth.user_id")?.Value;
        var userName = userId is null ? Required(settings, "auth.username", cloud, "OS_USERNAME", "(or OS_USER_ID)").Value : null;
        var password = Required(settings, "auth.password", cloud, "OS_PASSWORD", "for the user's password");
        var user = userId is not null
            ? new NamedInDomain(userId, null, null, null)
            : Domain(settings, userName!, "user");
        return new ClientCredentials.KeystonePassword(scope, user, new Secret(password.Value), origin, password.Origin);
    }

    private static KeystoneScope Scope(Dictionary<string, Setting> settings, Setting? cloud)
    {
        var authUrl = Required(settings, "auth.auth_url", cloud, "OS_AUTH_URL", "with Keystone's address");
        var projectId = settings.GetValueOrDefault("auth.project_id")?.Value;
        var project = projectId is not null
            ? new NamedInDomain(projectId, null, null, null)
            : Domain(settings, Required(settings, "auth.project_name", cloud, "OS_PROJECT_NAME", "(or OS_PROJECT_ID): vireo needs a project-scoped token").Value, "project");
        var region = (settings.GetValueOrDefault("region_name") ?? settings.GetValueOrDefault("regions.0"))?.Value;
        var face = settings.GetValueOrDefault("interface");
        var endpointInterface = face?.Value.Trim().ToLowerInvariant() switch
        {
            null or "" => "public",
            "public" or "publicurl" => "public",
            "internal" or "internalurl" => "internal",
            "admin" or "adminurl" => "admin",
            _ => throw Failure($"interface '{face!.Value}' (from {face.Origin}) is not public, internal or admin; set one of them"),
        };
        return new KeystoneScope(IdentityRoot(authUrl.Value, authUrl.Origin), project, region, endpointInterface);
    }

    /// <summary>A user or project by name in its domain: <c>*_domain_id</c>/<c>*_domain_name</c>, else <c>domain_*</c>, else the default domain.</summary>
    private static NamedInDomain Domain(Dictionary<string, Setting> settings, string name, string what)
    {
        var id = (settings.GetValueOrDefault($"auth.{what}_domain_id") ?? settings.GetValueOrDefault("auth.domain_id"))?.Value;
        var domainName = (settings.GetValueOrDefault($"auth.{what}_domain_name") ?? settings.GetValueOrDefault("auth.domain_name"))?.Value;
        if (id is null && domainName is null)
        {
            // python-openstackclient's --os-default-domain: 'default' unless OS_DEFAULT_DOMAIN says otherwise.
            id = settings.GetValueOrDefault("default_domain")?.Value ?? "default";
        }

        return new NamedInDomain(null, name, id, domainName);
    }

    /// <summary>Keystone's v3 root: the auth URL as given when it ends in /v3, else with /v3 appended.</summary>
    public static Uri IdentityRoot(string authUrl, string origin = "OS_AUTH_URL")
    {
        if (!Uri.TryCreate(authUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Failure($"auth_url '{authUrl}' (from {origin}) is not an http:// or https:// URL; set it like http://127.0.0.1:5000/v3");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v2.0", StringComparison.Ordinal))
        {
            throw Failure($"auth_url '{authUrl}' (from {origin}) is Keystone's identity v2.0, which is gone; use its /v3 URL");
        }

        if (!path.EndsWith("/v3", StringComparison.Ordinal))
        {
            path += "/v3";
        }

        return new UriBuilder(uri) { Path = path, Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    private static Uri? EndpointOverride(CredentialInputs inputs, Dictionary<string, Setting> settings)
    {
        if (Value(inputs.Environment, ServiceEndpoint.EnvironmentVariable) is { } url)
        {
            return ServiceEndpoint.FromUrl(url);
        }

        if (settings.GetValueOrDefault("compute_endpoint_override") is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint.Value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Failure($"compute_endpoint_override '{endpoint.Value}' (from {endpoint.Origin}) is not an http:// or https:// URL; set it like http://127.0.0.1:8774/v2.1");
            }

            return Keystone.ServiceCatalog.VireoBase(uri);
        }

        return null;
    }

    /// <summary>Reads the named cloud (secure.yaml over clouds.yaml) into <paramref name="settings"/>; returns how messages name it.</summary>
    private static string ReadCloud(CredentialInputs inputs, Setting cloud, Dictionary<string, Setting> settings)
    {
        if (inputs.Clouds is not { } file)
        {
            var searched = inputs.CloudsSearched.Count > 0 ? string.Join(", ", inputs.CloudsSearched) : "nowhere";
            throw Failure($"{cloud.Origin} names cloud '{cloud.Value}' but no clouds.yaml was found (looked at {searched}); write one there or unset {cloud.Origin}");
        }

        var clouds = CloudsYaml.Parse(file);
        if (!clouds.TryGetValue(cloud.Value, out var values))
        {
            var known = clouds.Count == 0 ? "none" : string.Join(", ", clouds.Keys.Order(StringComparer.Ordinal));
            throw Failure($"cloud '{cloud.Value}' (from {cloud.Origin}) is not in {file.Path}; the clouds there: {known}; set {cloud.Origin} to one of them or add it");
        }

        Merge(values, file.Path, cloud.Value, settings);
        if (inputs.Secure is { } secure && CloudsYaml.Parse(secure).TryGetValue(cloud.Value, out var secrets))
        {
            Merge(secrets, secure.Path, cloud.Value, settings);
        }

        if (settings.GetValueOrDefault("profile") is { } profile)
        {
            throw Failure($"{profile.Origin} names vendor profile '{profile.Value}', which vireo does not read; write the cloud's auth_url and region_name into it instead");
        }

        return $"cloud '{cloud.Value}' in {file.Path}";
    }

    private static void Merge(IReadOnlyDictionary<string, string> values, string path, string cloud, Dictionary<string, Setting> settings)
    {
        // Top-level auth keys first, so a key under auth: wins over the same key at the top (openstacksdk's _fix_args).
        foreach (var (key, value) in values.OrderBy(pair => pair.Key.StartsWith("auth.", StringComparison.Ordinal) ? 1 : 0))
        {
            var target = AuthKeys.Contains(key) ? "auth." + key : key;
            settings[target] = new Setting(value, $"{key} of cloud '{cloud}' in {path}");
        }
    }

    private static Setting Required(Dictionary<string, Setting> settings, string key, Setting? cloud, string variable, string hint)
    {
        if (settings.GetValueOrDefault(key) is { Value.Length: > 0 } setting)
        {
            return setting;
        }

        throw Failure(cloud is null
            ? $"Keystone credentials (OS_AUTH_URL or OS_AUTH_TYPE set) need {variable} {hint}, which is not set; export {variable}"
            : $"cloud '{cloud.Value}' (from {cloud.Origin}) has no {key} and {variable} is not set; add {key} to the cloud (or to secure.yaml) or export {variable}");
    }

    private static string? Value(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static ClientFailure Failure(string message) => new(ExitCodes.Configuration, message);
}

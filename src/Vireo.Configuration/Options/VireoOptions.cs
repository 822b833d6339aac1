namespace Vireo.Configuration.Options;

/// <summary>
/// The whole validated configuration, immutable. Components receive the section they consume through their
/// constructors; there is no global configuration object.
/// </summary>
public sealed record VireoOptions(
    DefaultOptions Default,
    LibvirtOptions Libvirt,
    ImageCacheOptions ImageCache,
    ComputeOptions Compute,
    ImageOptions Image,
    DatabaseOptions Database,
    KeystoneAuthTokenOptions KeystoneAuthToken,
    VireoSectionOptions Vireo);

/// <summary>[DEFAULT].</summary>
public sealed record DefaultOptions
{
    public string ComputeDriver { get; init; } = "libvirt.LibvirtDriver";

    /// <summary>Null: this machine's host name, read at run time.</summary>
    public string? Host { get; init; }

    /// <summary>Null: the address of the default route's interface, read at run time.</summary>
    public System.Net.IPAddress? MyIp { get; init; }

    public string StatePath { get; init; } = "/var/lib/nova";

    /// <summary>Interpolated (<c>$state_path/instances</c> by default).</summary>
    public string InstancesPath { get; init; } = "/var/lib/nova/instances";

    public bool UseCowImages { get; init; } = true;

    public bool ForceRawImages { get; init; } = true;

    public PreallocateImages PreallocateImages { get; init; }

    /// <summary>Null: ext4 for Linux guests, ntfs for Windows guests.</summary>
    public string? DefaultEphemeralFormat { get; init; }

    /// <summary>os_type to mkfs command, from the repeated virt_mkfs key.</summary>
    public IReadOnlyDictionary<string, string> VirtMkfs { get; init; } = new Dictionary<string, string>();

    public string OsapiComputeListen { get; init; } = "127.0.0.1";

    public int OsapiComputeListenPort { get; init; } = 8774;

    /// <summary>[DEFAULT] instance_delete_interval: seconds between pending-delete passes; 0 the default periodic interval, negative never.</summary>
    public int InstanceDeleteIntervalSeconds { get; init; } = 300;

    public bool Debug { get; init; }

    public string? LogDir { get; init; }

    public string? LogFile { get; init; }
}

/// <summary>[image_cache].</summary>
public sealed record ImageCacheOptions
{
    /// <summary>-1: never; 0: the default periodic interval.</summary>
    public int ManagerIntervalSeconds { get; init; } = 2400;

    public string SubdirectoryName { get; init; } = "_base";

    public bool RemoveUnusedBaseImages { get; init; } = true;

    public int RemoveUnusedOriginalMinimumAgeSeconds { get; init; } = 86400;

    public int RemoveUnusedResizedMinimumAgeSeconds { get; init; } = 3600;
}

/// <summary>[compute].</summary>
public sealed record ComputeOptions
{
    public IReadOnlyList<string> VmdkAllowedTypes { get; init; } = ["streamOptimized", "monolithicSparse"];
}

/// <summary>[image]: the image store's limits (Glance's names and defaults where Glance has them).</summary>
public sealed record ImageOptions
{
    /// <summary>Glance's <c>image_size_cap</c>: the largest image in bytes (1 TiB).</summary>
    public long ImageSizeCapBytes { get; init; } = Catalogue.NovaOptions.Image.DefaultImageSizeCapBytes;

    /// <summary>Glance's <c>image_property_quota</c>; -1: no limit.</summary>
    public int ImagePropertyQuota { get; init; } = 128;

    public int MaxConcurrentUploads { get; init; } = 4;
}

/// <summary>[database]. The URL may carry a password: <see cref="ToString"/> never shows it.</summary>
public sealed record DatabaseOptions
{
    /// <summary>The configured URL, interpolated. A secret: print <see cref="RedactedConnection"/> instead.</summary>
    public string Connection { get; init; } = "sqlite:////var/lib/nova/vireo.sqlite";

    public string RedactedConnection => Output.Redaction.RedactUrlPasswords(Connection);

    public DatabaseEngine Engine { get; init; }

    /// <summary>The SQLite file Vireo uses (the default one when the connection names an unsupported engine); null: in memory.</summary>
    public string? SqlitePath { get; init; } = "/var/lib/nova/vireo.sqlite";

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Connection = {RedactedConnection}, Engine = {Engine}, SqlitePath = {SqlitePath}");
        return true;
    }
}

/// <summary>[keystone_authtoken]. <see cref="ToString"/> never shows the password.</summary>
public sealed record KeystoneAuthTokenOptions
{
    public string? WwwAuthenticateUri { get; init; }

    public string? AuthUrl { get; init; }

    public string? AuthType { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? UserDomainName { get; init; }

    public string? ProjectName { get; init; }

    public string? ProjectDomainName { get; init; }

    public string? UserDomainId { get; init; }

    public string? ProjectDomainId { get; init; }

    public string? RegionName { get; init; }

    public IReadOnlyList<string> MemcachedServers { get; init; } = [];

    /// <summary>token_cache_time in seconds; 0 or less: no caching.</summary>
    public int TokenCacheTimeSeconds { get; init; } = 300;

    /// <summary>http_connect_timeout in seconds.</summary>
    public int HttpConnectTimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// Whether the section asks for Keystone validation: auth_url, username, password or project_name
    /// set (the options keystonemiddleware's password plugin needs; config check requires all four then).
    /// </summary>
    public bool IsConfigured => AuthUrl is not null || Username is not null || Password is not null || ProjectName is not null;

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"AuthUrl = {AuthUrl}, AuthType = {AuthType}, Username = {Username}, Password = {(Password is null ? "" : Output.Redaction.Mask)}, ProjectName = {ProjectName}, TokenCacheTimeSeconds = {TokenCacheTimeSeconds}");
        return true;
    }
}

/// <summary>[vireo].</summary>
public sealed record VireoSectionOptions
{
    /// <summary>Null: generated on first start and kept under state_path.</summary>
    public string? InstallationId { get; init; }

    /// <summary>Host names the API answers to besides the loopback names and osapi_compute_listen.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Start on a non-loopback address although the API has no authentication (with a warning).</summary>
    public bool AllowUnauthenticatedRemoteApi { get; init; }

    /// <summary>The noauth2 caller's project without a token, the owner of rows older than ownership, and the service's own project.</summary>
    public string DefaultProjectId { get; init; } = "admin";
}

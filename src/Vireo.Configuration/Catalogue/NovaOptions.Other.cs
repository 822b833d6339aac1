namespace Vireo.Configuration.Catalogue;

public static partial class NovaOptions
{
    /// <summary><c>[image_cache]</c> (these options lived in <c>[DEFAULT]</c> before Nova 21).</summary>
    public static class ImageCache
    {
        private const string Group = "image_cache";

        public static readonly OptionDefinition ManagerInterval = new()
        {
            Group = Group,
            Name = "manager_interval",
            Type = OptionType.Integer,
            Default = "2400",
            Minimum = -1,
            Help = "Seconds between runs of the image cache cleaner; 0 runs it at the default periodic interval (60 s), -1 never.",
            DeprecatedNames = [new OptionName(DefaultGroup, "image_cache_manager_interval")],
            Consumer = Component.ImageCacheCleaner,
        };

        public static readonly OptionDefinition SubdirectoryName = new()
        {
            Group = Group,
            Name = "subdirectory_name",
            Type = OptionType.String,
            Default = "_base",
            Help = "The directory, relative to instances_path, holding cached base images.",
            DeprecatedNames = [new OptionName(DefaultGroup, "image_cache_subdirectory_name")],
            Consumer = Component.ImageCache,
        };

        public static readonly OptionDefinition RemoveUnusedBaseImages = new()
        {
            Group = Group,
            Name = "remove_unused_base_images",
            Type = OptionType.Boolean,
            Default = "true",
            Help = "Whether the cleaner deletes base images no instance uses any more.",
            DeprecatedNames = [new OptionName(DefaultGroup, "remove_unused_base_images")],
            Consumer = Component.ImageCacheCleaner,
        };

        public static readonly OptionDefinition RemoveUnusedOriginalMinimumAgeSeconds = new()
        {
            Group = Group,
            Name = "remove_unused_original_minimum_age_seconds",
            Type = OptionType.Integer,
            Default = "86400",
            Minimum = 0,
            Help = "How long an unused original base image is kept before the cleaner deletes it.",
            DeprecatedNames = [new OptionName(DefaultGroup, "remove_unused_original_minimum_age_seconds")],
            Consumer = Component.ImageCacheCleaner,
        };

        public static readonly OptionDefinition RemoveUnusedResizedMinimumAgeSeconds = new()
        {
            Group = Group,
            Name = "remove_unused_resized_minimum_age_seconds",
            Type = OptionType.Integer,
            Default = "3600",
            Minimum = 0,
            Help = "How long an unused resized base image is kept before the cleaner deletes it.",
            DeprecatedNames = [new OptionName("libvirt", "remove_unused_resized_minimum_age_seconds")],
            Consumer = Component.ImageCacheCleaner,
        };

        public static IReadOnlyList<OptionDefinition> All { get; } =
        [
            ManagerInterval, SubdirectoryName, RemoveUnusedBaseImages, RemoveUnusedOriginalMinimumAgeSeconds,
            RemoveUnusedResizedMinimumAgeSeconds,
        ];
    }

    /// <summary><c>[compute]</c>.</summary>
    public static class Compute
    {
        public static readonly OptionDefinition VmdkAllowedTypes = new()
        {
            Group = "compute",
            Name = "vmdk_allowed_types",
            Type = OptionType.List,
            Default = "streamOptimized,monolithicSparse",
            Help = "The VMDK subformats accepted in images; an empty list refuses every VMDK image.",
            Choices =
            [
                OptionChoice.Supported("streamOptimized", "the compressed, self-contained VMDK of OVA exports"),
                OptionChoice.Supported("monolithicSparse", "a single self-contained sparse VMDK file"),
                OptionChoice.Refused("monolithicFlat", "a flat VMDK descriptor names extent files outside the image, which could expose host files"),
                OptionChoice.Refused("twoGbMaxExtentSparse", "a split VMDK names extent files outside the image, which could expose host files"),
                OptionChoice.Refused("twoGbMaxExtentFlat", "a split VMDK names extent files outside the image, which could expose host files"),
                OptionChoice.Refused("vmfs", "a VMFS descriptor names extent files outside the image, which could expose host files"),
            ],
            Consumer = Component.ImageFormats,
        };

        public static IReadOnlyList<OptionDefinition> All { get; } = [VmdkAllowedTypes];
    }

    /// <summary><c>[database]</c>.</summary>
    public static class Database
    {
        public static readonly OptionDefinition Connection = new()
        {
            Group = "database",
            Name = "connection",
            Type = OptionType.String,
            Default = "sqlite:///$state_path/vireo.sqlite",
            NovaDefault = "none (nova-compute reaches the database through nova-conductor)",
            Help = "The SQLAlchemy URL of the state database. Vireo supports SQLite only for now (sqlite:////absolute/path); other engines are ignored with a warning.",
            Secret = SecretKind.UrlPassword,
            Consumer = Component.StateStore,
            Example = "sqlite:////var/lib/nova/vireo.sqlite",
        };

        public static IReadOnlyList<OptionDefinition> All { get; } = [Connection];
    }

    /// <summary><c>[keystone_authtoken]</c>: the basics of keystonemiddleware.</summary>
    public static class KeystoneAuthToken
    {
        private const string Group = "keystone_authtoken";

        public static readonly OptionDefinition WwwAuthenticateUri = new()
        {
            Group = Group,
            Name = "www_authenticate_uri",
            Type = OptionType.Uri,
            Help = "The public Identity endpoint clients are told to authenticate against.",
            DeprecatedNames = [new OptionName(Group, "auth_uri")],
            Consumer = Component.KeystoneAuth,
            Example = "http://keystone.example.com:5000",
        };

        public static readonly OptionDefinition AuthUrl = new()
        {
            Group = Group,
            Name = "auth_url",
            Type = OptionType.Uri,
            Help = "The Identity endpoint the service authenticates itself against.",
            Consumer = Component.KeystoneAuth,
            Example = "http://keystone.example.com:5000",
        };

        public static readonly OptionDefinition AuthType = Text(Group, "auth_type", "The authentication plugin (e.g. password).", "password");

        public static readonly OptionDefinition Username = Text(Group, "username", "The service user's name.", "nova");

        public static readonly OptionDefinition Password = Text(Group, "password", "The service user's password.", "secret") with
        {
            Secret = SecretKind.Whole,
        };

        public static readonly OptionDefinition UserDomainName = Text(Group, "user_domain_name", "The service user's domain (when user_domain_id is not set; Default when neither is).", "Default");

        public static readonly OptionDefinition ProjectName = Text(Group, "project_name", "The service project.", "service");

        public static readonly OptionDefinition ProjectDomainName = Text(Group, "project_domain_name", "The service project's domain (when project_domain_id is not set; Default when neither is).", "Default");

        public static readonly OptionDefinition UserDomainId = Text(Group, "user_domain_id", "The service user's domain by id (takes precedence over user_domain_name).", "default");

        public static readonly OptionDefinition ProjectDomainId = Text(Group, "project_domain_id", "The service project's domain by id (takes precedence over project_domain_name).", "default");

        public static readonly OptionDefinition RegionName = Text(Group, "region_name", "The region of the Identity endpoint.", "RegionOne") with
        {
            Consumer = Component.IdentityEndpointByRegion,
        };

        public static readonly OptionDefinition MemcachedServers = new()
        {
            Group = Group,
            Name = "memcached_servers",
            Type = OptionType.List,
            Default = "",
            Help = "host:port of memcached servers caching validated tokens.",
            Consumer = Component.SharedTokenCache,
            Example = "192.0.2.5:11211",
        };

        public static readonly OptionDefinition TokenCacheTime = new()
        {
            Group = Group,
            Name = "token_cache_time",
            Type = OptionType.Integer,
            Default = "300",
            Minimum = -1,
            Help = "Seconds a token Keystone validated is accepted again without asking Keystone (never past the token's own expiry; an invalid token is remembered for at most 30 s), so a revoked token keeps working for up to this long. 0 or -1: ask Keystone on every request.",
            Consumer = Component.KeystoneAuth,
            Example = "60",
        };

        public static readonly OptionDefinition HttpConnectTimeout = new()
        {
            Group = Group,
            Name = "http_connect_timeout",
            Type = OptionType.Integer,
            Default = "10",
            NovaDefault = "none (keystonemiddleware waits without a limit)",
            Minimum = 1,
            Maximum = 600,
            Help = "Seconds one call to the Identity service may take; a call that takes longer makes the request a 503 (the identity service did not answer) instead of waiting on.",
            Consumer = Component.KeystoneAuth,
            Example = "5",
        };

        public static IReadOnlyList<OptionDefinition> All { get; } =
        [
            WwwAuthenticateUri, AuthUrl, AuthType, Username, Password, UserDomainName, UserDomainId, ProjectName, ProjectDomainName,
            ProjectDomainId, RegionName, MemcachedServers, TokenCacheTime, HttpConnectTimeout,
        ];

        private static OptionDefinition Text(string group, string name, string help, string example) => new()
        {
            Group = group,
            Name = name,
            Type = OptionType.String,
            Help = help,
            Consumer = Component.KeystoneAuth,
            Example = example,
        };
    }

    /// <summary><c>[vireo]</c>: what Nova lacks.</summary>
    public static class Vireo
    {
        public static readonly OptionDefinition InstallationId = new()
        {
            Group = "vireo",
            Name = "installation_id",
            Type = OptionType.Identifier,
            DynamicDefault = "generated on first start and kept under state_path",
            Help = "A stable id written into the metadata of every libvirt domain Vireo defines; Vireo manages only domains carrying its own id, so other software and installations can share the libvirt daemon.",
            Consumer = Component.LibvirtDriver,
            Example = "site-a-compute-01",
        };

        public static readonly OptionDefinition AllowedHosts = new()
        {
            Group = "vireo",
            Name = "allowed_hosts",
            Type = OptionType.List,
            Default = "",
            Help = "Host names (and addresses) the API answers to besides localhost, 127.0.0.1, [::1] and osapi_compute_listen: the names a proxy or DNS gives the service. A request whose Host header names anything else is refused (400), which stops a web page from reaching the API through DNS rebinding.",
            Consumer = Component.Api,
            Example = "compute.example.com,192.0.2.10",
        };

        public static readonly OptionDefinition AllowUnauthenticatedRemoteApi = new()
        {
            Group = "vireo",
            Name = "allow_unauthenticated_remote_api",
            Type = OptionType.Boolean,
            Default = "false",
            Help = "Start even when osapi_compute_listen is not a loopback address although the API has no authentication (anyone who reaches the port controls every server); a warning is logged at every start. Without it, such a configuration refuses to start.",
            Consumer = Component.Api,
            Example = "true",
        };

        public static readonly OptionDefinition DefaultProjectId = new()
        {
            Group = "vireo",
            Name = "default_project_id",
            Type = OptionType.String,
            Default = "admin",
            Help = "The project of a caller without a token when Keystone is not configured (Nova's noauth2 default project), and the owner of the servers and images stored before Vireo recorded ownership (those images stay public). The service's own passes act as an admin of this project.",
            Consumer = Component.Api,
            Example = "admin",
        };

        public static IReadOnlyList<OptionDefinition> All { get; } = [InstallationId, AllowedHosts, AllowUnauthenticatedRemoteApi, DefaultProjectId];
    }
}

namespace Vireo.Configuration.Catalogue;

/// <summary>The part of Vireo that consumes an option. An option does something only once its consumer exists.</summary>
public enum Component
{
    /// <summary>The compute service itself: identity, paths, logging.</summary>
    Service,

    /// <summary>The OpenStack Compute API endpoint.</summary>
    Api,

    /// <summary>The libvirt driver: connection, guest CPU, machine type, memory balloon.</summary>
    LibvirtDriver,

    /// <summary>The qcow2 and flat image backends.</summary>
    ImageBackends,

    /// <summary>The base image cache and its cleaner.</summary>
    ImageCache,

    /// <summary>The image format inspector.</summary>
    ImageFormats,

    /// <summary>The state store (SQLite).</summary>
    StateStore,

    /// <summary>The LVM image backend.</summary>
    LvmStorage,

    /// <summary>The Ceph RBD image backend.</summary>
    RbdStorage,

    /// <summary>Disk tuning: cache modes, discard, preallocation.</summary>
    DiskTuning,

    /// <summary>Ephemeral disk formatting.</summary>
    EphemeralDisks,

    /// <summary>Live migration.</summary>
    LiveMigration,

    /// <summary>Keystone token authentication of API requests.</summary>
    KeystoneAuth,

    /// <summary>The choice of the image backend for instance disks (images_type, use_cow_images).</summary>
    DiskFormatChoice,

    /// <summary>The periodic cleaner that removes unused base images from the cache.</summary>
    ImageCacheCleaner,

    /// <summary>Writing the log to a file (today the service logs to standard error).</summary>
    LogFiles,

    /// <summary>Custom mkfs commands per guest OS type (<c>virt_mkfs</c>).</summary>
    CustomMkfs,

    /// <summary>A token cache shared between services (memcached); Vireo caches validated tokens in its own memory.</summary>
    SharedTokenCache,

    /// <summary>Choosing the Identity endpoint by region from a catalogue; Vireo uses auth_url as given.</summary>
    IdentityEndpointByRegion,
}

/// <summary>Which consumers exist today. A later issue that implements one flips one entry here.</summary>
public static class Components
{
    public static IReadOnlySet<Component> Implemented { get; } = new HashSet<Component>
    {
        Component.Service,
        Component.Api,
        Component.LibvirtDriver,
        Component.ImageBackends,
        Component.ImageCache,
        Component.ImageFormats,
        Component.StateStore,
        Component.DiskFormatChoice,
        Component.RbdStorage,
        Component.EphemeralDisks,
        Component.ImageCacheCleaner,
        Component.LvmStorage,
        Component.KeystoneAuth,
    };

    /// <summary>The phrase used in messages and documents: "Vireo's {Describe} is not implemented yet".</summary>
    public static string Describe(Component component) => component switch
    {
        Component.Service => "compute service",
        Component.Api => "Compute API",
        Component.LibvirtDriver => "libvirt driver",
        Component.ImageBackends => "qcow2/flat image backend",
        Component.ImageCache => "image cache",
        Component.ImageFormats => "image format inspector",
        Component.StateStore => "state store",
        Component.LvmStorage => "LVM image backend",
        Component.RbdStorage => "Ceph RBD image backend",
        Component.DiskTuning => "disk tuning (cache modes, discard, preallocation)",
        Component.EphemeralDisks => "ephemeral disk formatting",
        Component.LiveMigration => "live migration",
        Component.KeystoneAuth => "Keystone authentication",
        Component.DiskFormatChoice => "choice of the image backend for instance disks",
        Component.ImageCacheCleaner => "image cache cleaner",
        Component.LogFiles => "log file output (the service logs to standard error)",
        Component.CustomMkfs => "custom mkfs command (ephemeral disks are formatted with the standard mkfs of their file system)",
        Component.SharedTokenCache => "shared token cache (memcached; validated tokens are cached in the service's own memory)",
        Component.IdentityEndpointByRegion => "choice of the identity endpoint by region (auth_url is used as given)",
        _ => component.ToString(),
    };
}

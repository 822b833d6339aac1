namespace Vireo.Configuration.Catalogue;

/// <summary>
/// The catalogue: every option Vireo reads, grouped by section. Each section's options are declared in the
/// matching partial file (<c>NovaOptions.Default.cs</c>, ...); <see cref="All"/> lists them in document order.
/// </summary>
public static partial class NovaOptions
{
    public const string DefaultGroup = "DEFAULT";

    /// <summary>The sections Vireo knows, in document order, each with a one-line description.</summary>
    public static IReadOnlyList<(string Group, string Description)> Groups { get; } =
    [
        (DefaultGroup, "The compute service: identity, paths, images, API listener, logging."),
        ("libvirt", "The libvirt driver: hypervisor, guest CPU, image backends, disks, live migration."),
        ("image_cache", "The base image cache under $instances_path/_base and its cleaner."),
        ("compute", "Compute-wide policies."),
        ("image", "The image store (Glance v2 subset): size cap, property quota, concurrent uploads."),
        ("database", "Where Vireo keeps its state."),
        ("keystone_authtoken", "Keystone token validation of API requests (keystonemiddleware's options)."),
        ("vireo", "Options Nova does not have."),
    ];

    public static IReadOnlyList<OptionDefinition> All { get; } =
    [
        .. Default.All,
        .. Libvirt.All,
        .. ImageCache.All,
        .. Compute.All,
        .. Image.All,
        .. Database.All,
        .. KeystoneAuthToken.All,
        .. Vireo.All,
    ];

    public static bool IsKnownGroup(string group) => Groups.Any(g => g.Group == group);

    public static IEnumerable<OptionDefinition> InGroup(string group) => All.Where(o => o.Group == group);
}

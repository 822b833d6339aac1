using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;

namespace Vireo.Api.Flavors;

/// <summary>Flavors as Nova's <c>views/flavors.py</c> shows them at microversion 2.1.</summary>
internal static class FlavorViews
{
    public static string Path(Flavor flavor) => "flavors/" + Uri.EscapeDataString(flavor.Id);

    public static FlavorSummary Summary(Flavor flavor, ApiLinks links) => new()
    {
        Id = flavor.Id,
        Name = flavor.Name,
        Links = links.SelfAndBookmark(Path(flavor)),
    };

    public static FlavorDetail Detail(Flavor flavor, ApiLinks links) => new()
    {
        Id = flavor.Id,
        Name = flavor.Name,
        RamMiB = flavor.MemoryMiB,
        Vcpus = flavor.Vcpus,
        DiskGiB = flavor.RootDiskGiB,
        EphemeralGiB = flavor.EphemeralGiB,
        SwapMiB = flavor.SwapMiB,
        Disabled = false,
        RxtxFactor = 1.0,
        IsPublic = flavor.IsPublic,
        Links = links.SelfAndBookmark(Path(flavor)),
    };
}

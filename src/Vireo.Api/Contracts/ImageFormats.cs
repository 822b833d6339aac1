using Vireo.Core;

namespace Vireo.Api.Contracts;

/// <summary>
/// The formats an image may be declared with: the disk formats Vireo can check and boot
/// (<see cref="Core.DiskFormats.Accepted"/>), and Glance's default container formats.
/// </summary>
public static class ImageFormats
{
    public static IReadOnlyList<string> DiskFormats => Core.DiskFormats.AcceptedNames;

    public static IReadOnlyList<string> ContainerFormats { get; } = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];
}

using Vireo.Core;

namespace Vireo.ImageFormats;

/// <summary>
/// How the inspector reads a declared format (<see cref="InspectOptions.DeclaredFormat"/>). More
/// tolerant than the API's <see cref="DiskFormats.TryParse"/>, which takes only what an image may
/// be registered with: any format whose content the inspector can check, ignoring case and blanks
/// around the name, and QEMU's <c>vpc</c> for VHD.
/// </summary>
public static class DeclaredFormats
{
    /// <summary>Glance's ami, aki and ari: declarations whose content is a raw disk, kernel or ramdisk.</summary>
    private static readonly DiskFormat[] RawContent = [DiskFormat.Ami, DiskFormat.Aki, DiskFormat.Ari];

    /// <summary>The formats a declaration may name: the detected ones and ami, aki, ari, in the order of the enum (ploop is unknown here).</summary>
    public static IReadOnlyList<DiskFormat> Known { get; } = [.. DiskFormats.All.Where(f => f.IsDetected() || RawContent.Contains(f))];

    /// <summary>What <c>vireo image inspect --disk-format</c> takes: the detected formats in probe order, QEMU's vpc, then ami, aki, ari.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. ImageInspector.ProbeOrder.Select(f => f.Name()), DiskFormat.Vhd.QemuName(), .. RawContent.Select(f => f.Name())];

    /// <summary>
    /// Reads a declared format as the format its content must have: a name of <see cref="Known"/>
    /// or <c>vpc</c> (ignoring case and surrounding blanks); ami, aki and ari give <see cref="DiskFormat.Raw"/>.
    /// </summary>
    public static bool TryParse(string? name, out DiskFormat content)
    {
        var trimmed = name?.Trim();
        if (string.Equals(trimmed, DiskFormat.Vhd.QemuName(), StringComparison.OrdinalIgnoreCase))
        {
            content = DiskFormat.Vhd;
            return true;
        }

        foreach (var format in Known)
        {
            if (string.Equals(trimmed, format.Name(), StringComparison.OrdinalIgnoreCase))
            {
                content = RawContent.Contains(format) ? DiskFormat.Raw : format;
                return true;
            }
        }

        content = DiskFormat.Raw;
        return false;
    }
}

namespace Vireo.ImageFormats;

/// <summary>
/// The formats the inspector recognises by content. <see cref="Gpt"/> stands for any
/// partitioned disk (GPT or plain MBR), as in Nova's inspector; QEMU opens it, ISO and raw
/// with its raw driver.
/// </summary>
public enum DiskFormat
{
    Raw,
    Qcow2,
    Qed,
    Vmdk,
    Vhd,
    Vhdx,
    Vdi,
    Iso,
    Luks,
    Gpt,
}

/// <summary>The names Glance's <c>disk_format</c> and QEMU give each <see cref="DiskFormat"/>.</summary>
public static class DiskFormats
{
    /// <summary>Every format, in the order QEMU's probe would prefer when several headers match (magic at offset 0 first).</summary>
    public static IReadOnlyList<DiskFormat> All { get; } =
    [
        DiskFormat.Qcow2, DiskFormat.Qed, DiskFormat.Vmdk, DiskFormat.Vhdx, DiskFormat.Vdi, DiskFormat.Luks,
        DiskFormat.Vhd, DiskFormat.Iso, DiskFormat.Gpt, DiskFormat.Raw,
    ];

    /// <summary>The lower-case name used by Glance's <c>disk_format</c> and by <c>vireo image inspect</c>: raw, qcow2, qed, vmdk, vhd, ...</summary>
    public static string Name(this DiskFormat format) => format switch
    {
        DiskFormat.Raw => "raw",
        DiskFormat.Qcow2 => "qcow2",
        DiskFormat.Qed => "qed",
        DiskFormat.Vmdk => "vmdk",
        DiskFormat.Vhd => "vhd",
        DiskFormat.Vhdx => "vhdx",
        DiskFormat.Vdi => "vdi",
        DiskFormat.Iso => "iso",
        DiskFormat.Luks => "luks",
        DiskFormat.Gpt => "gpt",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a disk format"),
    };

    /// <summary>
    /// The driver to pass to QEMU with <c>-f</c> or libvirt's <c>&lt;driver type&gt;</c>:
    /// ISO images and partitioned disks are raw to QEMU; QEMU calls VHD <c>vpc</c>.
    /// </summary>
    public static string QemuDriver(this DiskFormat format) => format switch
    {
        DiskFormat.Iso or DiskFormat.Gpt => "raw",
        DiskFormat.Vhd => "vpc",
        _ => format.Name(),
    };

    /// <summary>
    /// Parses a declared format: the names of <see cref="Name"/>, QEMU's <c>vpc</c> for VHD, and
    /// Glance's <c>ami</c>/<c>aki</c>/<c>ari</c>, whose content is a raw disk, kernel or ramdisk.
    /// </summary>
    public static bool TryParse(string? name, out DiskFormat format)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "RAW" or "AMI" or "AKI" or "ARI":
                format = DiskFormat.Raw;
                return true;
            case "VPC":
                format = DiskFormat.Vhd;
                return true;
            case { } upper:
                foreach (var candidate in All)
                {
                    if (candidate.Name().Equals(upper, StringComparison.OrdinalIgnoreCase))
                    {
                        format = candidate;
                        return true;
                    }
                }
                break;
        }

        format = DiskFormat.Raw;
        return false;
    }
}

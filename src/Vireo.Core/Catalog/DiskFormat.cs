using System.Diagnostics.CodeAnalysis;

namespace Vireo.Core;

/// <summary>
/// A disk image format, one type from the API body to qemu-img and libvirt's
/// <c>&lt;driver type&gt;</c>: Glance's default <c>disk_formats</c> (glance/common/config.py:
/// ami, ari, aki, vhd, vhdx, vmdk, raw, qcow2, vdi, iso, ploop), QED, and the two formats the
/// image inspector recognises besides them (<see cref="Luks"/>, and <see cref="Gpt"/> for any
/// partitioned disk, GPT or plain MBR, as in Nova's inspector). What an image may be registered
/// with, what the inspector detects and each name are in <see cref="DiskFormats"/>.
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

    /// <summary>Glance's Amazon machine image: a declaration, its content is a raw disk.</summary>
    Ami,

    /// <summary>Glance's Amazon kernel image: a declaration, its content is raw.</summary>
    Aki,

    /// <summary>Glance's Amazon ramdisk image: a declaration, its content is raw.</summary>
    Ari,

    /// <summary>Glance's Virtuozzo ploop: known by name and refused; nothing here checks or opens it.</summary>
    Ploop,
}

/// <summary>
/// The one table of <see cref="DiskFormat"/>: each format's name (Glance's <c>disk_format</c>, the
/// SQLite store and <c>vireo image inspect</c>), its name to qemu-img (<c>-f</c>, <c>-F</c>, <c>-O</c>),
/// its libvirt <c>&lt;driver type&gt;</c>, whether an image may be registered with it and whether
/// the inspector detects it from content; and the one parse of a <c>disk_format</c> value.
/// </summary>
public static class DiskFormats
{
    /// <param name="Name">Glance's <c>disk_format</c> spelling (Vireo's own for luks and gpt).</param>
    /// <param name="Qemu">QEMU's driver for the content: ISO images, partitioned disks and Glance's ami/aki/ari
    /// are opened with its raw driver, VHD is <c>vpc</c>; null for a format never handed to QEMU.</param>
    /// <param name="Libvirt">libvirt's <c>&lt;driver type&gt;</c>, given only for the formats Vireo defines guest
    /// disks in (libvirt's names are not QEMU's for every format); null for the others.</param>
    /// <param name="Accepted">An image may be registered with it: the inspector checks its content and QEMU reads it.</param>
    /// <param name="Detected">The inspector recognises it from content (raw when nothing else matches).</param>
    private sealed record Row(DiskFormat Format, string Name, string? Qemu, string? Libvirt, bool Accepted, bool Detected);

    private static readonly Row[] Table =
    [
        new(DiskFormat.Raw, "raw", "raw", "raw", Accepted: true, Detected: true),
        new(DiskFormat.Qcow2, "qcow2", "qcow2", "qcow2", Accepted: true, Detected: true),
        new(DiskFormat.Qed, "qed", "qed", null, Accepted: true, Detected: true),
        new(DiskFormat.Vmdk, "vmdk", "vmdk", null, Accepted: true, Detected: true),
        new(DiskFormat.Vhd, "vhd", "vpc", null, Accepted: true, Detected: true),
        new(DiskFormat.Vhdx, "vhdx", "vhdx", null, Accepted: true, Detected: true),
        new(DiskFormat.Vdi, "vdi", "vdi", null, Accepted: true, Detected: true),
        new(DiskFormat.Iso, "iso", "raw", null, Accepted: true, Detected: true),
        new(DiskFormat.Luks, "luks", "luks", null, Accepted: false, Detected: true),
        new(DiskFormat.Gpt, "gpt", "raw", null, Accepted: false, Detected: true),
        new(DiskFormat.Ami, "ami", "raw", null, Accepted: false, Detected: false),
        new(DiskFormat.Aki, "aki", "raw", null, Accepted: false, Detected: false),
        new(DiskFormat.Ari, "ari", "raw", null, Accepted: false, Detected: false),
        new(DiskFormat.Ploop, "ploop", null, null, Accepted: false, Detected: false),
    ];

    /// <summary>Every format, in the order of the enum.</summary>
    public static IReadOnlyList<DiskFormat> All { get; } = [.. Table.Select(row => row.Format)];

    /// <summary>The formats an image may be registered with: raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso.
    /// Glance's other defaults (ami, ari, aki, ploop) are refused, because nothing here could check what they hold.</summary>
    public static IReadOnlyList<DiskFormat> Accepted { get; } = [.. Table.Where(row => row.Accepted).Select(row => row.Format)];

    /// <summary>The names of <see cref="Accepted"/>, in that order: what the API and the CLI list.</summary>
    public static IReadOnlyList<string> AcceptedNames { get; } = [.. Accepted.Select(Name)];

    /// <summary>The lower-case name: Glance's <c>disk_format</c>, the stored value, <c>vireo image inspect</c>'s verdict.</summary>
    public static string Name(this DiskFormat format) => RowOf(format).Name;

    /// <summary>
    /// The format name qemu-img's <c>-f</c>/<c>-F</c>/<c>-O</c> take for this content: raw for ISO
    /// images, partitioned disks and ami/aki/ari, <c>vpc</c> for VHD. Throws for ploop, which Vireo
    /// refuses before anything could reach QEMU.
    /// </summary>
    public static string QemuName(this DiskFormat format) =>
        RowOf(format).Qemu ?? throw new ArgumentOutOfRangeException(nameof(format), format, $"{format.Name()} images are never handed to QEMU");

    /// <summary>libvirt's <c>&lt;driver type&gt;</c> for a guest disk in this format; null for a format Vireo never defines a guest disk in.</summary>
    public static string? LibvirtDriverType(this DiskFormat format) => RowOf(format).Libvirt;

    /// <summary>True for the formats of <see cref="Accepted"/>.</summary>
    public static bool IsAccepted(this DiskFormat format) => RowOf(format).Accepted;

    /// <summary>True for the formats the image inspector recognises from content; ami, aki, ari and ploop are declarations only.</summary>
    public static bool IsDetected(this DiskFormat format) => RowOf(format).Detected;

    /// <summary>
    /// The one parse of a <c>disk_format</c> value from a client: exactly one of the names of
    /// <see cref="Accepted"/> (lower case, nothing around it). Anything else is false, with
    /// <see cref="Refusal"/> to say why.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out DiskFormat format) =>
        TryFromName(name, out format) && format.IsAccepted();

    /// <summary>True when <paramref name="name"/> is an accepted <c>disk_format</c> (see <see cref="TryParse"/>).</summary>
    public static bool IsAccepted([NotNullWhen(true)] string? name) => TryParse(name, out _);

    /// <summary>Any format by its exact <see cref="Name"/>, accepted or not (reading back a stored value).</summary>
    public static bool TryFromName([NotNullWhen(true)] string? name, out DiskFormat format)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Name, name, StringComparison.Ordinal))
            {
                format = row.Format;
                return true;
            }
        }

        format = DiskFormat.Raw;
        return false;
    }

    /// <summary>One sentence for a refused value, naming the field, the value and the choices.</summary>
    public static string Refusal(string field, string? value) =>
        $"{field} '{value}' is not accepted; use one of {string.Join(", ", AcceptedNames)} (convert other images with qemu-img convert -O qcow2)";

    private static Row RowOf(DiskFormat format)
    {
        var index = (int)format;
        return index >= 0 && index < Table.Length && Table[index].Format == format
            ? Table[index]
            : throw new ArgumentOutOfRangeException(nameof(format), format, "not a disk format");
    }
}

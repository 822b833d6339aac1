using System.Diagnostics.CodeAnalysis;

namespace Vireo.Core;

/// <summary>
/// The <c>disk_format</c> values an image may be registered with: the formats whose content
/// the inspector checks and QEMU can read. Glance's other defaults (ami, ari, aki, ploop) are
/// refused by name, because nothing here could check what they hold.
/// </summary>
public static class ImageDiskFormats
{
    public const string Raw = "raw";
    public const string Qcow2 = "qcow2";
    public const string Qed = "qed";
    public const string Vmdk = "vmdk";
    public const string Vhd = "vhd";
    public const string Vhdx = "vhdx";
    public const string Vdi = "vdi";
    public const string Iso = "iso";

    /// <summary>raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso: exactly these, lower case.</summary>
    public static IReadOnlyList<string> Accepted { get; } = [Raw, Qcow2, Qed, Vmdk, Vhd, Vhdx, Vdi, Iso];

    public static bool IsAccepted([NotNullWhen(true)] string? format) => format is not null && Accepted.Contains(format, StringComparer.Ordinal);

    /// <summary>One sentence for a refused value, naming the field, the value and the choices.</summary>
    public static string Refusal(string field, string? format) =>
        $"{field} '{format}' is not accepted; use one of {string.Join(", ", Accepted)} (convert other images with qemu-img convert -O qcow2)";
}

using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// VHD, after Microsoft's "Virtual Hard Disk Image Format Specification" (hard disk footer,
/// big-endian): 0 cookie "conectix", 28 creator application, 40 original size u64, 48 current
/// size u64, 56 cylinders u16, 58 heads u8, 59 sectors per track u8, 60 disk type (2 fixed,
/// 3 dynamic, 4 differencing). A dynamic disk keeps a copy of the footer at offset 0; a fixed
/// disk has it only in its last 512 bytes.
/// </summary>
internal static class VhdFormat
{
    public const int FooterBytes = 512;
    private const uint Fixed = 2;
    private const uint Dynamic = 3;
    private const uint Differencing = 4;

    // QEMU block/vpc.c: the largest CHS geometry, beyond which current_size is used.
    private const long MaxGeometrySectors = 65535L * 16 * 255;

    public static bool MatchesHead(ReadOnlySpan<byte> head) => head.StartsWith("conectix"u8);

    /// <summary>The last 512 bytes when they are a VHD footer (a fixed VHD), read only for an image of known length.</summary>
    public static byte[]? FixedFooter(ImageContext image)
    {
        if (image.Length is not { } length || length < FooterBytes)
        {
            return null;
        }

        var footer = image.Read(length - FooterBytes, FooterBytes);
        return footer.Length == FooterBytes && footer.AsSpan().StartsWith("conectix"u8) ? footer : null;
    }

    public static FormatMatch Inspect(ImageContext image, byte[]? fixedFooter)
    {
        var footer = MatchesHead(image.Head) ? image.Head : fixedFooter!;
        if (footer.Length < FooterBytes)
        {
            return FormatMatch.Truncated(DiskFormat.Vhd,
                $"the image starts with the VHD cookie 'conectix' but is only {footer.Length} bytes long, shorter than the 512-byte footer copy; upload the complete image");
        }

        var span = footer.AsSpan();
        var violations = new List<Violation>();
        var type = BinaryPrimitives.ReadUInt32BigEndian(span[60..]);
        var subformat = type switch { Fixed => "fixed", Dynamic => "dynamic", Differencing => "differencing", _ => null };
        if (type == Differencing)
        {
            violations.Add(new Violation(ViolationNames.VhdParentDisk,
                "the VHD footer says it is a differencing disk (disk type 4 at byte 60), whose data depends on a parent disk file on the host; merge it into a fixed or dynamic VHD before uploading"));
        }
        else if (subformat is null)
        {
            violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                $"the VHD footer has disk type {type} at byte 60; only 2 (fixed) and 3 (dynamic) can be opened; convert the image with `qemu-img convert -O vpc`"));
        }

        return new FormatMatch(DiskFormat.Vhd, VirtualSize(span), subformat, violations);
    }

    /// <summary>
    /// QEMU's rule (block/vpc.c vpc_open): the CHS geometry gives the size, except for creators
    /// that write the exact size (Hyper-V "win ", "qem2", Disk2vhd "d2v ", XenConverter "CTXS",
    /// XenServer "tap\0") and for the largest geometry, where current_size is used.
    /// </summary>
    private static long? VirtualSize(ReadOnlySpan<byte> footer)
    {
        var creator = footer.Slice(28, 4);
        var usesCurrentSize = creator.SequenceEqual("win "u8) || creator.SequenceEqual("qem2"u8) || creator.SequenceEqual("d2v "u8)
            || creator.SequenceEqual("CTXS"u8) || creator.SequenceEqual("tap\0"u8);
        // In long: 65535 × 255 × 255 overflows an int.
        var chsSectors = (long)BinaryPrimitives.ReadUInt16BigEndian(footer[56..]) * footer[58] * footer[59];
        if (!usesCurrentSize && chsSectors != MaxGeometrySectors)
        {
            return chsSectors * Sectors.Size;
        }

        return Sectors.Floor(BinaryPrimitives.ReadUInt64BigEndian(footer[48..]));
    }
}

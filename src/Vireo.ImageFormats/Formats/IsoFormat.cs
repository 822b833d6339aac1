using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// ISO 9660 (ECMA-119 section 8) and UDF (ECMA-167): the system area is the first 32 KiB; volume
/// descriptors follow in 2048-byte sectors from sector 16 (0x8000), each with a type byte and an
/// identifier at +1 ("CD001"; "NSR02"/"NSR03" for UDF). The primary volume descriptor (type 1)
/// holds the volume space size (LE u32 at +80) and the logical block size (LE u16 at +128).
/// </summary>
internal static class IsoFormat
{
    private const int FirstDescriptor = 0x8000;
    private const int SectorBytes = 2048;
    private const int DescriptorsLooked = 3;

    public static bool Matches(ReadOnlySpan<byte> head)
    {
        for (var i = 0; i < DescriptorsLooked; i++)
        {
            var at = FirstDescriptor + (i * SectorBytes);
            if (head.Length >= at + 6)
            {
                var id = head.Slice(at + 1, 5);
                if (id.SequenceEqual("CD001"u8) || id.SequenceEqual("NSR02"u8) || id.SequenceEqual("NSR03"u8))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>QEMU reads an ISO with its raw driver, so the size is the file's; without a length, the primary volume descriptor's.</summary>
    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        long? declared = null;
        for (var i = 0; i < DescriptorsLooked && declared is null; i++)
        {
            var at = FirstDescriptor + (i * SectorBytes);
            if (head.Length >= at + 130 && head[at] == 1 && head.Slice(at + 1, 5).SequenceEqual("CD001"u8))
            {
                declared = (long)BinaryPrimitives.ReadUInt32LittleEndian(head[(at + 80)..]) * BinaryPrimitives.ReadUInt16LittleEndian(head[(at + 128)..]);
            }
        }

        return new FormatMatch(DiskFormat.Iso, image.RawVirtualSize ?? declared, null, []);
    }
}

using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// VDI, after VirtualBox's VDICore.h as QEMU's block/vdi.c reads it (little-endian): text at 0,
/// 0x40 signature 0xbeda107f, 0x44 version (0x00010001 for 1.1, the only one QEMU opens),
/// 0x4c image type (1 dynamic, 2 static, 3 undo, 4 differencing), 0x170 disk size u64.
/// </summary>
internal static class VdiFormat
{
    private const uint Signature = 0xbeda107f;
    private const uint Version11 = 0x00010001;
    private const uint Differencing = 4;
    private const int HeaderLength = 0x178;

    public static bool Matches(ReadOnlySpan<byte> head) =>
        head.Length >= 0x44 && BinaryPrimitives.ReadUInt32LittleEndian(head[0x40..]) == Signature;

    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        if (head.Length < HeaderLength)
        {
            return FormatMatch.Truncated(DiskFormat.Vdi,
                $"the image has the VDI signature at byte 0x40 but is only {head.Length} bytes long, shorter than the 0x178-byte header; upload the complete image");
        }

        var violations = new List<Violation>();
        var version = BinaryPrimitives.ReadUInt32LittleEndian(head[0x44..]);
        if (version != Version11)
        {
            violations.Add(new Violation(ViolationNames.VdiUnsupportedVersion,
                $"the VDI header has version {version >> 16}.{version & 0xffff} at byte 0x44; only 1.1 is supported; convert the image with `qemu-img convert -O vdi`"));
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(head[0x4c..]) == Differencing)
        {
            violations.Add(new Violation(ViolationNames.VdiParentDisk,
                "the VDI header says it is a differencing image (image type 4 at byte 0x4c), whose data depends on a parent disk on the host; merge it before uploading"));
        }

        return new FormatMatch(DiskFormat.Vdi, Sectors.Floor(BinaryPrimitives.ReadUInt64LittleEndian(head[0x170..])), null, violations);
    }
}

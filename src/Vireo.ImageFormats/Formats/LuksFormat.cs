using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// LUKS, after the LUKS1 On-Disk Format Specification (big-endian): 0 magic "LUKS\xba\xbe",
/// 6 version u16, 8 cipher-name, 40 cipher-mode, 72 hash-spec, 104 payload-offset u32
/// (sectors). QEMU's built-in luks driver opens version 1 only; the guest sees the payload.
/// </summary>
internal static class LuksFormat
{
    private const int HeaderLength = 108;

    // "LUKS\xba\xbe" as bytes: a u8 literal would encode \xba and \xbe as UTF-8.
    private static ReadOnlySpan<byte> Magic => [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xba, 0xbe];

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        if (head.Length < 8)
        {
            return FormatMatch.Truncated(DiskFormat.Luks,
                $"the image starts with the LUKS magic but is only {head.Length} bytes long; upload the complete image");
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(head[6..]);
        if (version != 1)
        {
            return new FormatMatch(DiskFormat.Luks, null, $"luks{version}", [new Violation(ViolationNames.LuksUnsupportedVersion,
                $"the LUKS header has version {version} at byte 6; QEMU opens only LUKS version 1; re-encrypt the image with `qemu-img convert -O luks`")]);
        }

        if (head.Length < HeaderLength)
        {
            return FormatMatch.Truncated(DiskFormat.Luks,
                $"the LUKS header is cut short at {head.Length} bytes, before its payload offset at byte 104; upload the complete image");
        }

        // block/crypto.c: the file's length less the payload offset, then rounded up to a sector as any size.
        var payload = (long)BinaryPrimitives.ReadUInt32BigEndian(head[104..]) * Sectors.Size;
        long? size = image.Length is { } length ? Sectors.RoundUp(Math.Max(0, length - payload)) : null;
        return new FormatMatch(DiskFormat.Luks, size, "luks1", []);
    }
}

using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// QED, after QEMU's docs/interop/qed_spec.rst ("Header"). Little-endian: 0 magic "QED\0",
/// 4 cluster_size u32, 8 table_size, 12 header_size, 16 features u64 (bit 0 backing file,
/// 1 needs consistency check, 2 backing format no probe), 24 compat_features,
/// 32 autoclear_features, 40 l1_table_offset, 48 image_size u64, 56 backing_filename_offset
/// u32, 60 backing_filename_size u32. Nova bans QED outright; without a backing file it is as
/// self-contained as qcow2.
/// </summary>
internal static class QedFormat
{
    private const int HeaderLength = 64;
    private const ulong BackingFileBit = 1UL << 0;
    private const ulong KnownFeatureBits = 0b111;
    private const int MaxBackingNameLength = 1023;

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith("QED\0"u8);

    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        if (head.Length < HeaderLength)
        {
            return FormatMatch.Truncated(DiskFormat.Qed,
                $"the image starts with the QED magic but is only {head.Length} bytes long, shorter than the 64-byte QED header; upload the complete image");
        }

        var violations = new List<Violation>();
        var features = BinaryPrimitives.ReadUInt64LittleEndian(head[16..]);
        var imageSize = BinaryPrimitives.ReadUInt64LittleEndian(head[48..]);
        var virtualSize = Sectors.Floor(imageSize);
        if (virtualSize is null)
        {
            violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                $"the QED header has image_size {Text.Number(imageSize)} at byte 48, larger than any disk QEMU can open; recreate the image with qemu-img"));
        }

        if ((features & BackingFileBit) != 0)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(head[56..]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(head[60..]);
            var name = size == 0 ? [] : image.Read(offset, (int)Math.Min(size, MaxBackingNameLength));
            var shown = name.Length == 0 ? string.Empty : $" ('{Text.Shown(name)}')";
            violations.Add(new Violation(ViolationNames.QedBackingFile,
                $"the QED header names a backing file{shown} (feature bit 0 at byte 16); a backing file can point at any host file; flatten the image with `qemu-img convert -O qed` (or -O qcow2) before uploading"));
        }

        var unknown = features & ~KnownFeatureBits;
        if (unknown != 0)
        {
            violations.Add(new Violation(ViolationNames.QedUnknownFeatures,
                $"the QED header sets unknown feature bit(s) {Text.Bits(unknown)} at byte 16 (known: 0 backing file, 1 needs check, 2 backing format no probe); convert the image with a qemu-img that understands them"));
        }

        return new FormatMatch(DiskFormat.Qed, virtualSize, null, violations);
    }
}

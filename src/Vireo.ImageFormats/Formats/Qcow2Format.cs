using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// qcow2, after QEMU's docs/interop/qcow2.txt ("Header"). All fields are big-endian:
/// 0 magic "QFI\xfb", 4 version (2 or 3), 8 backing_file_offset u64, 16 backing_file_size u32,
/// 20 cluster_bits, 24 size u64, 32 crypt_method; version 3 adds 72 incompatible_features,
/// 80 compatible_features, 88 autoclear_features, 96 refcount_order, 100 header_length and
/// (with incompatible bit 3) 104 compression_type. Header extensions follow the header.
/// </summary>
internal static class Qcow2Format
{
    private const int Version2HeaderLength = 72;
    private const int Version3HeaderLength = 104;

    // Incompatible feature bits (qcow2.txt, bytes 72-79): 0 dirty, 1 corrupt, 2 external data
    // file, 3 compression type, 4 extended L2 entries. QEMU refuses an image with any other bit,
    // but a later QEMU may give a new bit a meaning that reads other files: refuse them all.
    private const ulong ExternalDataFileBit = 1UL << 2;
    private const ulong CompressionTypeBit = 1UL << 3;
    private const ulong KnownIncompatibleBits = 0b1_1111;

    // Autoclear bit 1 (bytes 88-95): the external data file is a consistent raw image.
    private const ulong DataFileRawBit = 1UL << 1;

    // Header extension types (qcow2.txt, "Header extensions").
    private const uint BackingFormatExtension = 0xe2792aca;
    private const uint DataFileNameExtension = 0x44415441;

    // backing_file_size is at most 1023 (qcow2.txt, bytes 16-19).
    private const int MaxBackingNameLength = 1023;

    // "QFI\xfb" as bytes: a u8 literal would encode \xfb as UTF-8 (C3 BB).
    private static ReadOnlySpan<byte> Magic => [(byte)'Q', (byte)'F', (byte)'I', 0xfb];

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        if (head.Length < Version2HeaderLength)
        {
            return FormatMatch.Truncated(DiskFormat.Qcow2,
                $"the image starts with the qcow2 magic but is only {head.Length} bytes long, shorter than the 72-byte qcow2 header; upload the complete image");
        }

        var violations = new List<Violation>();
        var version = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
        var backingOffset = BinaryPrimitives.ReadUInt64BigEndian(head[8..]);
        var backingSize = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
        var clusterBits = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
        var size = BinaryPrimitives.ReadUInt64BigEndian(head[24..]);
        var virtualSize = Sectors.Floor(size);

        if (version is not (2 or 3))
        {
            violations.Add(new Violation(ViolationNames.Qcow2UnsupportedVersion,
                $"the qcow2 header has version {version} at byte 4; only versions 2 and 3 are supported; convert the image with `qemu-img convert -O qcow2`"));

            // Version 1 (QEMU's "qcow") has its backing file fields at the same offsets.
            if (version == 1 && backingOffset != 0)
            {
                violations.Add(BackingFile(image, backingOffset, backingSize, null));
            }

            return new FormatMatch(DiskFormat.Qcow2, virtualSize, $"v{version}", violations);
        }

        // QEMU accepts 512-byte to 2 MiB clusters (qcow2.txt: cluster_bits 9..21).
        var clusterSize = clusterBits is >= 9 and <= 21 ? 1 << (int)clusterBits : 0;
        if (clusterSize == 0)
        {
            violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                $"the qcow2 header has cluster_bits {clusterBits} at byte 20, outside 9..21, so QEMU cannot open it; recreate the image with qemu-img"));
        }

        if (virtualSize is null)
        {
            violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                $"the qcow2 header has size {Text.Number(size)} at byte 24, larger than any disk QEMU can open; recreate the image with qemu-img"));
        }

        var incompatible = 0UL;
        var autoclear = 0UL;
        var extensionsStart = Version2HeaderLength;
        if (version == 3)
        {
            if (head.Length < Version3HeaderLength)
            {
                violations.Add(new Violation(ViolationNames.FormatTruncated,
                    $"the qcow2 version 3 header is cut short at {head.Length} bytes, before its 104-byte end; upload the complete image"));
                if (backingOffset != 0)
                {
                    violations.Add(BackingFile(image, backingOffset, backingSize, null));
                }

                return new FormatMatch(DiskFormat.Qcow2, virtualSize, "v3", violations);
            }

            incompatible = BinaryPrimitives.ReadUInt64BigEndian(head[72..]);
            autoclear = BinaryPrimitives.ReadUInt64BigEndian(head[88..]);
            var headerLength = BinaryPrimitives.ReadUInt32BigEndian(head[100..]);
            if (headerLength < Version3HeaderLength || (clusterSize != 0 && headerLength > clusterSize))
            {
                violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                    $"the qcow2 header gives header_length {headerLength} at byte 100, outside 104..cluster size, so QEMU cannot open it; recreate the image with qemu-img"));
            }

            extensionsStart = (int)Math.Min(headerLength, int.MaxValue);
            if ((incompatible & CompressionTypeBit) != 0)
            {
                // qcow2.txt byte 104: 0 zlib, 1 zstd; any other value QEMU refuses.
                var compression = headerLength > Version3HeaderLength && head.Length > Version3HeaderLength ? head[104] : -1;
                if (compression is not (0 or 1))
                {
                    violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                        $"the qcow2 header sets the compression type bit but byte 104 holds no known compression type ({compression}); only zlib (0) and zstd (1) exist; recreate the image with qemu-img"));
                }
            }
        }

        var extensions = ReadExtensions(head, extensionsStart, clusterSize == 0 ? head.Length : clusterSize);
        if (backingOffset != 0)
        {
            violations.Add(BackingFile(image, backingOffset, backingSize, extensions.BackingFormat));
        }

        var dataFileName = extensions.DataFileName is { } name ? $" ('{Text.Shown(name)}')" : string.Empty;
        if ((incompatible & ExternalDataFileBit) != 0 || extensions.DataFileName is not null)
        {
            violations.Add(new Violation(ViolationNames.Qcow2DataFile,
                $"the qcow2 header names an external data file{dataFileName} (incompatible feature bit 2 at byte 72 or header extension 0x44415441); the guest's data would be read from and written to that host file; convert the image with `qemu-img convert -O qcow2` before uploading"));
        }

        if ((autoclear & DataFileRawBit) != 0)
        {
            violations.Add(new Violation(ViolationNames.Qcow2DataFileRaw,
                $"the qcow2 header sets data_file_raw (autoclear bit 1 at byte 88): the guest's disk is the raw external data file{dataFileName}, a host file outside the image; convert the image with `qemu-img convert -O qcow2` before uploading"));
        }

        var unknown = incompatible & ~KnownIncompatibleBits;
        if (unknown != 0)
        {
            violations.Add(new Violation(ViolationNames.Qcow2UnknownIncompatibleFeatures,
                $"the qcow2 header sets unknown incompatible feature bit(s) {Text.Bits(unknown)} at byte 72 (known: 0 dirty, 1 corrupt, 2 data file, 3 compression type, 4 extended L2); convert the image with a qemu-img that understands them"));
        }

        return new FormatMatch(DiskFormat.Qcow2, virtualSize, version == 3 ? "v3" : "v2", violations);
    }

    private static Violation BackingFile(ImageContext image, ulong offset, uint size, byte[]? backingFormat)
    {
        var format = backingFormat is { } f ? $" of format '{Text.Shown(f)}'" : string.Empty;
        return new Violation(ViolationNames.Qcow2BackingFile,
            $"the qcow2 header names a backing file{BackingName(image, offset, size)}{format} at byte 8; a backing file can point at any host file; flatten the image with `qemu-img convert -O qcow2` before uploading");
    }

    private static string BackingName(ImageContext image, ulong offset, uint size)
    {
        if (size == 0 || offset > long.MaxValue)
        {
            return string.Empty;
        }

        var name = image.Read((long)offset, (int)Math.Min(size, MaxBackingNameLength));
        return name.Length == 0 ? string.Empty : $" ('{Text.Shown(name)}')";
    }

    private readonly record struct Extensions(byte[]? DataFileName, byte[]? BackingFormat);

    /// <summary>
    /// Walks the header extensions (type u32, length u32, data padded to 8 bytes) up to the end
    /// extension (type 0), the end of the first cluster or the end of the head, whichever is first.
    /// </summary>
    private static Extensions ReadExtensions(ReadOnlySpan<byte> head, int start, int clusterSize)
    {
        byte[]? dataFileName = null;
        byte[]? backingFormat = null;
        var end = Math.Min(head.Length, clusterSize);
        var offset = (long)start;
        while (offset + 8 <= end)
        {
            var type = BinaryPrimitives.ReadUInt32BigEndian(head[(int)offset..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(head[((int)offset + 4)..]);
            if (type == 0 || offset + 8 + length > end)
            {
                break;
            }

            var data = head.Slice((int)offset + 8, (int)length);
            if (type == DataFileNameExtension)
            {
                dataFileName = data.ToArray();
            }
            else if (type == BackingFormatExtension)
            {
                backingFormat = data.ToArray();
            }

            offset += 8 + ((length + 7L) & ~7L);
        }

        return new Extensions(dataFileName, backingFormat);
    }
}

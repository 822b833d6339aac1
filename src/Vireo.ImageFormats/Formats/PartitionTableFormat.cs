using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// A partitioned disk: the MBR (boot signature 0x55 0xAA at 510, four 16-byte partition entries
/// from 446: boot flag at +0, type at +4, first LBA u32 at +8, sectors u32 at +12), GPT when
/// "EFI PART" follows at 512 (UEFI 2.x section 5.3) behind a protective MBR whose single entry
/// has type 0xEE and starts at LBA 1. A FAT boot sector (two FATs at 0x10, media 0xF8 at 0x15)
/// has the same signature and is a filesystem, not a partition table (as oslo's inspector).
/// </summary>
internal static class PartitionTableFormat
{
    private const int EntriesOffset = 446;
    private const int EntryBytes = 16;
    private const byte ProtectiveType = 0xEE;

    public static bool Matches(ReadOnlySpan<byte> head) =>
        head.Length >= 512 && head[510] == 0x55 && head[511] == 0xAA && !(head[0x10] == 2 && head[0x15] == 0xF8);

    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        var isGpt = head.Length >= 520 && head.Slice(512, 8).SequenceEqual("EFI PART"u8);
        var violations = new List<Violation>();
        var used = new List<int>();
        var protective = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var entry = head.Slice(EntriesOffset + (i * EntryBytes), EntryBytes);
            if (entry[0] is not (0x00 or 0x80))
            {
                violations.Add(new Violation(ViolationNames.MbrBootFlag,
                    $"MBR partition entry {i + 1} (byte {EntriesOffset + (i * EntryBytes)}) has boot flag 0x{entry[0]:x2}, which must be 0x00 or 0x80; this is not a valid partition table, so the image is probably not what it claims; recreate the partition table with a partitioning tool"));
            }

            if (entry[4] == 0)
            {
                continue;
            }

            used.Add(i);
            if (entry[4] == ProtectiveType)
            {
                protective.Add(i);
                var firstLba = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
                if (firstLba != 1)
                {
                    violations.Add(new Violation(ViolationNames.GptProtectiveEntry,
                        $"the protective GPT entry {i + 1} (type 0xEE) starts at LBA {firstLba}, but a protective entry must start at LBA 1 where the GPT header is; recreate the partition table with a partitioning tool"));
                }
            }
        }

        if (used.Count == 0)
        {
            violations.Add(new Violation(ViolationNames.MbrNoPartitions,
                "the MBR at byte 446 has no partition (every entry's type is 0) although the boot signature 0x55AA is at byte 510; partition the disk or upload a filesystem image without the signature"));
        }
        else if (protective.Count > 0 && used.Count > 1)
        {
            violations.Add(new Violation(ViolationNames.GptProtectiveEntry,
                $"the MBR has a protective GPT entry (type 0xEE) among {used.Count} partitions; a protective MBR must hold that one entry alone; recreate the partition table with a partitioning tool"));
        }

        return new FormatMatch(DiskFormat.Gpt, image.RawVirtualSize, isGpt ? "gpt" : "mbr", violations);
    }
}

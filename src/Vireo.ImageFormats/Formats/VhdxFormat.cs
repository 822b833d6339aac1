using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// VHDX, after Microsoft's [MS-VHDX] (little-endian): file identifier "vhdxfile" at 0; region
/// table at 192 KiB ("regi", entry count u32 at +8, 32-byte entries from +16: GUID, file
/// offset u64, length u32, required u32); the metadata region's table ("metadata", entry count
/// u16 at +10, 32-byte entries from +32: item GUID, offset u32 from the region start, length
/// u32). Virtual Disk Size is a u64 item; File Parameters' flags bit 1 is HasParent.
/// </summary>
internal static class VhdxFormat
{
    private const long RegionTableOffset = 192 * 1024;
    private const int MaxEntries = 2047;
    private const int EntryBytes = 32;

    private static readonly Guid MetadataRegion = new("8B7CA206-4790-4B9A-B8FE-575F050F886E");
    private static readonly Guid VirtualDiskSizeItem = new("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    private static readonly Guid FileParametersItem = new("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    private static readonly Guid ParentLocatorItem = new("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");
    private const uint HasParentFlag = 1u << 1;

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith("vhdxfile"u8);

    public static FormatMatch Inspect(ImageContext image)
    {
        var table = image.Read(RegionTableOffset, 16);
        if (table.Length < 16)
        {
            return FormatMatch.Truncated(DiskFormat.Vhdx,
                "the image starts with the VHDX identifier 'vhdxfile' but ends before its region table at 192 KiB; upload the complete image");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(8));
        if (!table.AsSpan().StartsWith("regi"u8) || count > MaxEntries)
        {
            return Invalid($"the VHDX region table at 192 KiB has no 'regi' signature or more than 2047 entries ({count})");
        }

        var entries = image.Read(RegionTableOffset + 16, (int)count * EntryBytes);
        long? metadataOffset = null;
        for (var i = 0; i + EntryBytes <= entries.Length; i += EntryBytes)
        {
            if (new Guid(entries.AsSpan(i, 16)) == MetadataRegion)
            {
                metadataOffset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(entries.AsSpan(i + 16)), long.MaxValue / 2);
            }
        }

        if (metadataOffset is not { } regionStart)
        {
            return Invalid("the VHDX region table has no metadata region");
        }

        var metadata = image.Read(regionStart, 32);
        if (metadata.Length < 32 || !metadata.AsSpan().StartsWith("metadata"u8))
        {
            return Invalid($"the VHDX metadata region at byte {Text.Number(regionStart)} has no 'metadata' signature");
        }

        var itemCount = BinaryPrimitives.ReadUInt16LittleEndian(metadata.AsSpan(10));
        var items = image.Read(regionStart + 32, Math.Min((int)itemCount, MaxEntries) * EntryBytes);
        long? virtualSize = null;
        var violations = new List<Violation>();
        var hasParent = false;
        for (var i = 0; i + EntryBytes <= items.Length; i += EntryBytes)
        {
            var id = new Guid(items.AsSpan(i, 16));
            var itemOffset = BinaryPrimitives.ReadUInt32LittleEndian(items.AsSpan(i + 16));
            if (id == VirtualDiskSizeItem)
            {
                var value = image.Read(regionStart + itemOffset, 8);
                virtualSize = value.Length == 8 ? Sectors.Floor(BinaryPrimitives.ReadUInt64LittleEndian(value)) : null;
            }
            else if (id == FileParametersItem)
            {
                var value = image.Read(regionStart + itemOffset, 8);
                hasParent |= value.Length == 8 && (BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(4)) & HasParentFlag) != 0;
            }
            else if (id == ParentLocatorItem)
            {
                hasParent = true;
            }
        }

        if (virtualSize is null)
        {
            violations.Add(new Violation(ViolationNames.FormatInvalidHeader,
                "the VHDX metadata has no readable Virtual Disk Size item, so the disk's size is unknown; convert the image with `qemu-img convert -O vhdx`"));
        }

        if (hasParent)
        {
            violations.Add(new Violation(ViolationNames.VhdxParentDisk,
                "the VHDX metadata says it is a differencing disk (File Parameters HasParent or a Parent Locator), whose data depends on a parent disk file on the host; merge it before uploading"));
        }

        return new FormatMatch(DiskFormat.Vhdx, virtualSize, null, violations);
    }

    private static FormatMatch Invalid(string what) =>
        new(DiskFormat.Vhdx, null, null, [new Violation(ViolationNames.FormatInvalidHeader,
            $"{what}, so QEMU cannot open it; convert the image with `qemu-img convert -O vhdx`")]);
}

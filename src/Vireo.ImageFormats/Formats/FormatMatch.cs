using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>One format reader's finding: its header matched, with the size and the violations it found.</summary>
internal sealed record FormatMatch(DiskFormat Format, long? VirtualSizeBytes, string? Subformat, IReadOnlyList<Violation> Violations)
{
    public static FormatMatch Truncated(DiskFormat format, string message) =>
        new(format, null, null, [new Violation(ViolationNames.FormatTruncated, message)]);
}

/// <summary>What every format reader sees: the first bytes, the length and the reader for further regions.</summary>
internal sealed class ImageContext(BoundedReader reader, byte[] head, InspectOptions options)
{
    /// <summary>The first <see cref="ImageInspector.HeadBytes"/> bytes (fewer for a shorter image).</summary>
    public byte[] Head { get; } = head;

    public long? Length => Reader.Length;

    public BoundedReader Reader { get; } = reader;

    public InspectOptions Options { get; } = options;

    /// <summary>
    /// The size QEMU's raw driver gives a file: its length rounded up to a 512-byte sector
    /// (block.c refresh_total_sectors uses DIV_ROUND_UP; a 1000-byte file is 1024 bytes).
    /// </summary>
    public long? RawVirtualSize => Length is { } length ? Sectors.RoundUp(length) : null;

    /// <summary>Bytes at an absolute offset: from the head when they lie in it, else from the reader.</summary>
    public byte[] Read(long offset, int count)
    {
        if (offset >= 0 && count >= 0 && offset <= Head.Length - count)
        {
            return Head.AsSpan((int)offset, count).ToArray();
        }

        return Reader.Read(offset, count);
    }
}

internal static class Sectors
{
    public const int Size = 512;

    public static long RoundUp(long bytes) => bytes > long.MaxValue - (Size - 1) ? bytes / Size * Size : (bytes + Size - 1) / Size * Size;

    /// <summary>QEMU keeps sizes as whole sectors (<c>total_sectors = size / BDRV_SECTOR_SIZE</c>), so a header size is floored.</summary>
    public static long? Floor(ulong bytes) => bytes > long.MaxValue ? null : (long)(bytes / Size * Size);

    /// <summary>A count of sectors as bytes, or null when that overflows.</summary>
    public static long? ToBytes(ulong sectors) => sectors > long.MaxValue / Size ? null : (long)sectors * Size;
}

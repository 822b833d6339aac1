namespace Vireo.ImageFormats;

/// <summary>
/// Reads regions of an image at absolute offsets, never more than <see cref="Budget"/> bytes in
/// all, whatever the image's size: a read past the budget or past the end returns fewer bytes,
/// which the format readers treat as a truncated header. A stream that cannot seek is buffered
/// once from its start up to the budget (its length is then known only when it ends within it).
/// </summary>
internal sealed class BoundedReader
{
    private readonly Stream? stream;
    private readonly byte[]? buffered;
    private readonly int bufferedLength;

    public BoundedReader(Stream stream, int budget)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Budget = budget;
        if (stream.CanSeek)
        {
            this.stream = stream;
            Length = stream.Length;
            return;
        }

        buffered = new byte[budget];
        bufferedLength = stream.ReadAtLeast(buffered, budget, throwOnEndOfStream: false);
        BytesRead = bufferedLength;
        // Reading one byte more to learn whether the stream ends here would break the bound.
        Length = bufferedLength < budget ? bufferedLength : null;
    }

    public int Budget { get; }

    /// <summary>The image's length in bytes; null for a stream that cannot seek and is longer than the budget.</summary>
    public long? Length { get; }

    public long BytesRead { get; private set; }

    /// <summary>
    /// Up to <paramref name="count"/> bytes at <paramref name="offset"/>: fewer at the end of the
    /// image or when the budget is spent, none for an offset outside the image.
    /// </summary>
    public byte[] Read(long offset, int count)
    {
        if (offset < 0 || count <= 0 || (Length is { } length && offset >= length))
        {
            return [];
        }

        if (buffered is not null)
        {
            if (offset >= bufferedLength)
            {
                return [];
            }

            var available = (int)Math.Min(count, bufferedLength - offset);
            return buffered.AsSpan((int)offset, available).ToArray();
        }

        var allowed = (int)Math.Min(count, Budget - BytesRead);
        if (Length is { } total)
        {
            allowed = (int)Math.Min(allowed, total - offset);
        }

        if (allowed <= 0)
        {
            return [];
        }

        var data = new byte[allowed];
        stream!.Seek(offset, SeekOrigin.Begin);
        var read = stream.ReadAtLeast(data, allowed, throwOnEndOfStream: false);
        BytesRead += read;
        return read == allowed ? data : data.AsSpan(0, read).ToArray();
    }

    /// <summary>
    /// Text at <paramref name="offset"/> up to its first NUL byte or <paramref name="maxLength"/>
    /// bytes, read in pieces so a short text costs a short read (QEMU reads VMDK descriptors so).
    /// </summary>
    public byte[] ReadUntilNul(long offset, int maxLength, int firstPiece)
    {
        var text = new List<byte>();
        var piece = Math.Clamp(firstPiece, 512, Math.Max(512, maxLength));
        while (text.Count < maxLength)
        {
            var wanted = Math.Min(piece, maxLength - text.Count);
            var chunk = Read(offset + text.Count, wanted);
            var nul = Array.IndexOf(chunk, (byte)0);
            if (nul >= 0)
            {
                text.AddRange(chunk.AsSpan(0, nul));
                break;
            }

            text.AddRange(chunk);
            if (chunk.Length < wanted)
            {
                break;
            }

            piece = Math.Min(piece * 4, 256 * 1024);
        }

        return [.. text];
    }
}

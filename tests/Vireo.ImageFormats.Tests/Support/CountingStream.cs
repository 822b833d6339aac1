namespace Vireo.ImageFormats.Tests.Support;

/// <summary>
/// A read-only stream over a content function that counts the bytes handed out, so tests can
/// check the inspector's bound on images of any size (a 1 TiB image costs no memory), and can
/// pretend not to seek, like a pipe.
/// </summary>
public sealed class CountingStream(long length, Func<long, byte> content, bool seekable = true) : Stream
{
    private long position;

    public static CountingStream Over(byte[] bytes, bool seekable = true) => new(bytes.Length, i => bytes[i], seekable);

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => seekable;

    public override bool CanWrite => false;

    public override long Length => seekable ? length : throw new NotSupportedException("a pipe has no length");

    public override long Position
    {
        get => seekable ? position : throw new NotSupportedException("a pipe has no position");
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Max(0, Math.Min(buffer.Length, length - position));
        for (var i = 0; i < n; i++)
        {
            buffer[i] = content(position + i);
        }

        position += n;
        BytesRead += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!seekable)
        {
            throw new NotSupportedException("a pipe cannot seek");
        }

        position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

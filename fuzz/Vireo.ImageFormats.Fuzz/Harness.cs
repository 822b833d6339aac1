using Vireo.ImageFormats;

namespace Vireo.ImageFormats.Fuzz;

/// <summary>What must hold for every input; a broken promise throws, which afl++ records as a crash.</summary>
public static class Harness
{
    private static readonly InspectOptions[] Options =
    [
        InspectOptions.Default,
        new() { DeclaredFormat = "raw" },
        new() { DeclaredFormat = "vmdk", VmdkAllowedTypes = ["monolithicFlat", "twoGbMaxExtentSparse"] },
    ];

    public static void Check(byte[] bytes, bool seekable)
    {
        var options = Options[bytes.Length % Options.Length];
        var stream = new CountingStream(bytes, seekable);
        var result = ImageInspector.Inspect(stream, options);
        if (stream.BytesRead > ImageInspector.MaxBytesRead || result.BytesRead > ImageInspector.MaxBytesRead)
        {
            throw new InvalidOperationException($"read {stream.BytesRead} bytes, more than the bound of {ImageInspector.MaxBytesRead}");
        }

        foreach (var violation in result.Violations)
        {
            if (!ViolationNames.All.Contains(violation.Name) || violation.Message.Contains('\n', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"violation outside the catalogue or on several lines: {violation}");
            }
        }

        if (result.Safe != (result.Violations.Count == 0) || result.VirtualSizeBytes < 0)
        {
            throw new InvalidOperationException($"inconsistent verdict: safe {result.Safe}, {result.Violations.Count} violations, size {result.VirtualSizeBytes}");
        }
    }

    /// <summary>A read-only stream over the input that counts what is read and may refuse to seek, like a pipe.</summary>
    private sealed class CountingStream(byte[] bytes, bool seekable) : Stream
    {
        private long position;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? bytes.Length : throw new NotSupportedException();

        public override long Position
        {
            get => seekable ? position : throw new NotSupportedException();
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Max(0, Math.Min(buffer.Length, bytes.Length - position));
            bytes.AsSpan((int)position, n).CopyTo(buffer);
            position += n;
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            if (!seekable)
            {
                throw new NotSupportedException();
            }

            position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => position + offset, _ => bytes.Length + offset };
            return position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Security.Cryptography;
using Vireo.Core;

namespace Vireo.Storage;

/// <summary>What <see cref="HashingCopy.ToNewFileAsync"/> wrote: its length and the hex digests asked for, in order.</summary>
public sealed record CopiedFile(long SizeBytes, IReadOnlyList<string> HexDigests);

/// <summary>
/// Streams bytes into a new file (created exclusively, with the given mode) while hashing them,
/// reporting the count so far, and flushes them to disk before returning: the one copy loop of
/// the image store (client uploads) and the base image cache (fills). It stops at the first byte
/// over <c>maxBytes</c> (<see cref="ImageLimits.SizeCapExceeded"/>) and turns a full disk,
/// on write or fsync, into <see cref="StorageFull"/>'s refusal; the caller removes the file.
/// </summary>
public static class HashingCopy
{
    private const int BufferSize = 1 << 20;

    public static async Task<CopiedFile> ToNewFileAsync(
        Stream source, string path, UnixFileMode mode, IReadOnlyList<HashAlgorithmName> algorithms, Action<long>? copied, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            return await CopyAsync(source, path, mode, algorithms, copied, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception) when (StorageFull.IsDiskFull(exception))
        {
            throw StorageFull.Exception($"no space left on the device holding {Path.GetDirectoryName(path)} while writing {Path.GetFileName(path)}", exception);
        }
    }

    private static async Task<CopiedFile> CopyAsync(
        Stream source, string path, UnixFileMode mode, IReadOnlyList<HashAlgorithmName> algorithms, Action<long>? copied, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(algorithms);
        var hashes = algorithms.Select(IncrementalHash.CreateHash).ToList();
        try
        {
            var target = new FileStream(path, UnixFiles.CreateNew(mode));
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[BufferSize];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (ImageLimits.IsOverCap(total + read, maxBytes))
                    {
                        throw ImageLimits.SizeCapExceeded(maxBytes);
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    foreach (var hash in hashes)
                    {
                        hash.AppendData(buffer, 0, read);
                    }

                    total += read;
                    copied?.Invoke(total);
                }

                // The bytes are on disk before anyone is told they are there.
                target.Flush(flushToDisk: true);
                return new CopiedFile(total, [.. hashes.Select(h => Convert.ToHexStringLower(h.GetHashAndReset()))]);
            }
        }
        finally
        {
            foreach (var hash in hashes)
            {
                hash.Dispose();
            }
        }
    }
}

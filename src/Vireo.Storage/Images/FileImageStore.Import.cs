using System.Security.Cryptography;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Storage.Images;

public sealed partial class FileImageStore
{
    /// <summary>
    /// Streams the content to <c>.partial-&lt;id&gt;</c> (sha256 and size computed on the way,
    /// fsynced), checks it with the declared format, renames it into place and registers it as
    /// active. A refused or failed import keeps nothing.
    /// </summary>
    public async Task<ImageRecord> ImportAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var name = request.Name;
        var format = request.DiskFormat;
        // What the request says is checked before a byte is stored, every problem at once.
        var problems = new List<string>();
        if (!ImageDiskFormats.IsAccepted(format))
        {
            problems.Add(ImageDiskFormats.Refusal("disk_format", format));
        }

        problems.AddRange(ImagePropertyRules.Problems(request.Properties));
        if (problems.Count > 0)
        {
            throw VireoException.InvalidInput($"image '{name}' is refused: " + string.Join("; ", problems));
        }

        UnixFiles.CreateDirectory(_settings.ImagesDirectory, UnixFiles.PrivateDirectory);
        var id = Guid.NewGuid();
        var partial = Path.Join(_settings.ImagesDirectory, PartialPrefix + id.ToString("D"));
        var final = ContentPath(id);
        var registered = false;
        try
        {
            var (sizeBytes, sha256, md5) = await StoreAsync(content, partial, progress, cancellationToken).ConfigureAwait(false);
            var inspected = await CheckAsync(name, format, partial, sizeBytes, cancellationToken).ConfigureAwait(false);

            File.Move(partial, final, overwrite: false);
            UnixFiles.SetMode(final, UnixFiles.ReadOnlyFile);

            var now = _time.GetUtcNow();
            var record = new ImageRecord(
                id, name, ImageStatus.Active, format, request.ContainerFormat, sizeBytes, inspected.VirtualSizeBytes, sha256,
                request.MinDiskGiB, request.MinRamMiB, new Dictionary<string, string>(request.Properties, StringComparer.Ordinal), now, now)
            {
                Md5 = md5,
            };
            await _registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
            registered = true;
            return record;
        }
        finally
        {
            DeleteQuietly(partial);
            if (!registered)
            {
                DeleteQuietly(final);
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 only fills Glance's legacy checksum field for clients that compare it; integrity rests on sha256.")]
    private static async Task<(long SizeBytes, string Sha256, string Md5)> StoreAsync(Stream content, string partial, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var file = new FileStream(partial, UnixFiles.CreateNew(UnixFiles.PrivateFile));
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                hash.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
                total += read;
                progress?.Report(total);
            }

            // The bytes must be on disk before the image is registered as active.
            file.Flush(flushToDisk: true);
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
    }

    /// <summary>
    /// The checks an image passes before it is accepted: not empty, then
    /// <see cref="ImageContentCheck"/> (the inspector with the declared format, then
    /// <c>qemu-img info</c> with that format). Every problem is named in the refusal.
    /// </summary>
    private async Task<CheckedContent> CheckAsync(string name, string format, string path, long sizeBytes, CancellationToken cancellationToken)
    {
        if (sizeBytes == 0)
        {
            throw Refused(name, "the content is empty; send the image's bytes");
        }

        var (content, refusal) = await _check.CheckAsync(path, format, forceShare: false, cancellationToken).ConfigureAwait(false);
        return content ?? throw Refused(name, refusal!.Describe());
    }

    private static VireoException Refused(string name, string reason) => VireoException.InvalidInput($"image '{name}' is refused: {reason}");

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover .partial- file is never read as an image.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}

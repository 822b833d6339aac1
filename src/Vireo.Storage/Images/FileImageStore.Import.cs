using System.Security.Cryptography;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Qemu;

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
        if (!DiskFormats.IsSupported(format))
        {
            throw VireoException.InvalidInput(
                $"image '{name}' is refused: disk_format '{format}' is not supported yet; use {string.Join(" or ", DiskFormats.Supported)}");
        }

        UnixFiles.CreateDirectory(_settings.ImagesDirectory, UnixFiles.PrivateDirectory);
        var id = Guid.NewGuid();
        var partial = Path.Join(_settings.ImagesDirectory, PartialPrefix + id.ToString("D"));
        var final = ContentPath(id);
        var registered = false;
        try
        {
            var (sizeBytes, sha256) = await StoreAsync(content, partial, progress, cancellationToken).ConfigureAwait(false);
            var info = await CheckAsync(name, format, partial, sizeBytes, cancellationToken).ConfigureAwait(false);

            File.Move(partial, final, overwrite: false);
            UnixFiles.SetMode(final, UnixFiles.ReadOnlyFile);

            var now = _time.GetUtcNow();
            var record = new ImageRecord(
                id, name, ImageStatus.Active, format, request.ContainerFormat, sizeBytes, info.VirtualSizeBytes, sha256,
                request.MinDiskGiB, request.MinRamMiB, new Dictionary<string, string>(request.Properties, StringComparer.Ordinal), now, now);
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

    private static async Task<(long SizeBytes, string Sha256)> StoreAsync(Stream content, string partial, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
                total += read;
                progress?.Report(total);
            }

            // The bytes must be on disk before the image is registered as active.
            file.Flush(flushToDisk: true);
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
    }

    /// <summary>
    /// The checks an image passes before it is accepted, until the full inspector lands: the
    /// declared format is raw or qcow2, the content is that format (own magic probe plus
    /// <c>qemu-img info -f &lt;declared&gt;</c>), and it names no backing or data file.
    /// </summary>
    private async Task<ImageInfo> CheckAsync(string name, string format, string path, long sizeBytes, CancellationToken cancellationToken)
    {
        if (sizeBytes == 0)
        {
            throw Refused(name, "the content is empty; send the image's bytes");
        }

        var isQcow2 = ImageHeader.IsQcow2(await ImageHeader.ReadAsync(path, cancellationToken).ConfigureAwait(false));
        if (format == DiskFormats.Raw && isQcow2)
        {
            throw Refused(name, "the content is qcow2 but disk_format says raw; register it with disk_format qcow2");
        }

        if (format == DiskFormats.Qcow2 && !isQcow2)
        {
            throw Refused(name, "the content is not qcow2 (no 'QFI\\xfb' magic) but disk_format says qcow2; register it with its real format");
        }

        ImageInfo info;
        try
        {
            info = await _qemuImg.InfoAsync(path, format, forceShare: false, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException exception) when (exception.InnerException is QemuImgFailure failure)
        {
            throw new VireoException(
                ErrorKind.InvalidInput,
                $"image '{name}' is refused: qemu-img cannot read it as {format}: {failure.StandardError}{(failure.KilledBySignal ? " (it hit its limits)" : "")}",
                exception);
        }

        if (info.Format != format)
        {
            throw Refused(name, $"the content is {info.Format} but disk_format says {format}; register it with its real format");
        }

        if (info.HasBackingFile)
        {
            throw Refused(name, $"image has a backing file '{info.BackingFilename ?? info.FullBackingFilename}': a backing file can point at any host file; flatten it with qemu-img convert first");
        }

        if (info.DataFile is { } dataFile)
        {
            throw Refused(name, $"image has an external data file '{dataFile}': a data file can point at any host file; flatten it with qemu-img convert first");
        }

        return info;
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

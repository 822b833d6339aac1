using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Disks;

/// <summary>
/// Nova's base image cache: <c>&lt;InstancesPath&gt;/&lt;BaseSubdirectory&gt;/&lt;sha1 hex of the image id&gt;</c>
/// holds the image's bytes unchanged, so a base keeps its image's format (raw or qcow2),
/// which is the image's <c>disk_format</c>, checked at import and re-checked here on every use.
/// Concurrent users of one base in this process wait on one fill; processes sharing the
/// directory are kept apart by filling a temporary file and renaming it into place.
/// </summary>
public sealed class BaseImageCache
{
    private const int BufferSize = 1 << 20;

    private readonly StorageSettings _settings;
    private readonly IImageStore _images;
    private readonly QemuImg _qemuImg;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public BaseImageCache(StorageSettings settings, IImageStore images, QemuImg qemuImg, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(qemuImg);
        settings.Validate();
        _settings = settings;
        _images = images;
        _qemuImg = qemuImg;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Nova's <c>get_cache_fname</c>: the SHA-1 hex (40 lowercase characters) of the image id string.</summary>
    public static string CacheFileName(Guid imageId) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId.ToString("D"))));

    public string BasePath(Guid imageId) => Path.Join(_settings.BaseDirectory, CacheFileName(imageId));

    /// <summary>
    /// Makes sure the image's base exists (filling it from the image store when missing),
    /// checks it, touches its modification time (last use, for a cache cleaner) and holds it
    /// until the lease is disposed, so nothing in this process replaces or removes it meanwhile.
    /// </summary>
    /// <exception cref="VireoException">
    /// InvalidInput when the image's format cannot be cached; Failed when the stored bytes do
    /// not match the image's sha256 or the base fails its safety check.
    /// </exception>
    public async Task<BaseImageLease> AcquireAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var format = image.DiskFormat;
        if (!DiskFormats.IsSupported(format))
        {
            throw VireoException.InvalidInput(
                $"{image.Label} has disk_format '{format}', which cannot boot yet; use an image in {string.Join(" or ", DiskFormats.Supported)}");
        }

        var path = BasePath(image.Id);
        var gate = _locks.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Checked after acquiring: whoever held the gate before may have filled it.
            if (!File.Exists(path))
            {
                await FillAsync(image, format, path, cancellationToken).ConfigureAwait(false);
            }

            var info = await VerifyAsync(image, format, path, cancellationToken).ConfigureAwait(false);
            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            return new BaseImageLease(path, format, info, gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private async Task FillAsync(ImageRecord image, string format, string path, CancellationToken cancellationToken)
    {
        UnixFiles.CreateDirectory(_settings.BaseDirectory, UnixFiles.SharedDirectory);
        var temporary = Path.Join(_settings.BaseDirectory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
        try
        {
            var sha256 = await CopyAsync(image.Id, temporary, cancellationToken).ConfigureAwait(false);
            if (image.Sha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new VireoException(
                    ErrorKind.Failed,
                    $"the stored bytes of {image.Label} have sha256 {sha256} but the image says {expected}; the store is damaged, delete and import the image again");
            }

            // The copy is checked before it can be used by anyone.
            await VerifyAsync(image, format, temporary, cancellationToken).ConfigureAwait(false);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process sharing instances_path filled it first; its copy is as good.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private async Task<string> CopyAsync(Guid imageId, string temporary, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var source = await _images.OpenContentAsync(imageId, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(temporary, UnixFiles.CreateNew(UnixFiles.SharedFile));
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    hash.AppendData(buffer, 0, read);
                }

                target.Flush(flushToDisk: true);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The checks a base passes before every use (Nova re-inspects bases each time, CVE-2024-32498):
    /// the content is still the image's format and names no backing or data file. <c>-U</c>
    /// because running guests hold the base open.
    /// </summary>
    private async Task<ImageInfo> VerifyAsync(ImageRecord image, string format, string path, CancellationToken cancellationToken)
    {
        var isQcow2 = ImageHeader.IsQcow2(await ImageHeader.ReadAsync(path, cancellationToken).ConfigureAwait(false));
        if (isQcow2 != (format == DiskFormats.Qcow2))
        {
            throw Unsafe(image, path, $"the content is {(isQcow2 ? "qcow2" : "not qcow2")} but the image's disk_format is {format}");
        }

        var info = await _qemuImg.InfoAsync(path, format, forceShare: true, cancellationToken).ConfigureAwait(false);
        if (info.Format != format)
        {
            throw Unsafe(image, path, $"qemu-img reads it as {info.Format}, not {format}");
        }

        if (info.HasBackingFile)
        {
            throw Unsafe(image, path, $"it has a backing file '{info.BackingFilename ?? info.FullBackingFilename}'");
        }

        if (info.DataFile is { } dataFile)
        {
            throw Unsafe(image, path, $"it has an external data file '{dataFile}'");
        }

        return info;
    }

    private static VireoException Unsafe(ImageRecord image, string path, string reason) =>
        new(ErrorKind.Failed, $"the cached base {path} of {image.Label} failed its safety check: {reason}; remove that file so it is fetched again, and find out who changed it");
}

/// <summary>A checked base image, held until disposed.</summary>
/// <param name="Path">Absolute path of the base file.</param>
/// <param name="Format">Its format (the image's disk_format), passed explicitly to QEMU.</param>
/// <param name="Info">What qemu-img reported when it was checked for this use.</param>
public sealed class BaseImageLease(string path, string format, ImageInfo info, SemaphoreSlim gate) : IDisposable
{
    private SemaphoreSlim? _gate = gate;

    public string Path { get; } = path;

    public string Format { get; } = format;

    public ImageInfo Info { get; } = info;

    public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
}

using System.Security.Cryptography;
using Vireo.Core;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;

namespace Vireo.Storage.Images;

public sealed partial class FileImageStore
{
    /// <summary>
    /// Streams the content to <c>.partial-&lt;id&gt;</c> (size, sha256 and md5 computed on the way,
    /// fsynced), checks it with the declared format, renames it into place and registers it as
    /// active. A refused or failed import keeps nothing.
    /// </summary>
    public async Task<ImageRecord> ImportAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        EnsureValid(request, requireFormat: true);
        using var slot = TakeReceivingSlot($"image '{request.Name}'");
        var id = Guid.NewGuid();
        var registered = false;
        try
        {
            var received = await ReceiveAsync(id, request.Name, request.DiskFormat!.Value, content, progress, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var record = received.Apply(new ImageRecord(
                id, request.Name, ImageStatus.Active, request.DiskFormat, request.ContainerFormat, null, null, null,
                request.MinDiskGiB, request.MinRamMiB, new Dictionary<string, string>(request.Properties, StringComparer.Ordinal), now, now)
            {
                Owner = request.Owner,
                Visibility = request.Visibility,
            });
            await _registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
            registered = true;
            Stored(record);
            return record;
        }
        finally
        {
            if (!registered)
            {
                DeleteQuietly(ContentPath(id));
            }
        }
    }

    /// <summary>
    /// Glance's first step: registers the image as <c>queued</c>, with no data. The declared
    /// format and properties are checked now, every problem at once; the data follows with
    /// <see cref="UploadAsync"/>.
    /// </summary>
    public async Task<ImageRecord> RegisterAsync(ImageImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureValid(request, requireFormat: false);
        var now = _time.GetUtcNow();
        var record = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Queued, request.DiskFormat, request.ContainerFormat, null, null, null,
            request.MinDiskGiB, request.MinRamMiB, new Dictionary<string, string>(request.Properties, StringComparer.Ordinal), now, now)
        {
            Owner = request.Owner,
            Visibility = request.Visibility,
        };
        await _registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Glance's second step: the data of a <c>queued</c> image, streamed, checked as for an import,
    /// then the image is <c>active</c>. While it arrives the image is <c>saving</c>; a refused or
    /// failed upload keeps no byte and puts the image back to <c>queued</c>, so it can be sent again
    /// (as Glance does). Conflict when the image is not queued or another upload runs.
    /// </summary>
    public async Task<ImageRecord> UploadAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var image = await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw VireoException.NotFound($"image {id} does not exist; create it first (POST /v2/images)");
        if (image.Status != ImageStatus.Queued)
        {
            throw VireoException.Conflict(
                $"{image.Label} is {image.Status.ToGlance()}; data can be uploaded once, to a queued image; create a new image for new data");
        }

        if (image.DiskFormat is not { } diskFormat || string.IsNullOrEmpty(image.ContainerFormat))
        {
            throw VireoException.InvalidInput(
                $"{image.Label} has no {(image.DiskFormat is null ? "disk_format" : "container_format")}; set disk_format and container_format before uploading its data, as Glance requires");
        }

        using var slot = TakeReceivingSlot(image.Label);
        if (!_uploading.TryAdd(id, 0))
        {
            throw VireoException.Conflict($"{image.Label} is already receiving its data from another upload; wait for it");
        }

        try
        {
            var saving = image with { Status = ImageStatus.Saving, UpdatedAt = _time.GetUtcNow() };
            await _registry.UpdateAsync(saving, cancellationToken).ConfigureAwait(false);
            var active = false;
            try
            {
                var received = await ReceiveAsync(id, image.Name, diskFormat, content, progress, cancellationToken).ConfigureAwait(false);
                var record = received.Apply(saving with { Status = ImageStatus.Active, UpdatedAt = _time.GetUtcNow() });
                await _registry.UpdateAsync(record, cancellationToken).ConfigureAwait(false);
                active = true;
                Stored(record);
                return record;
            }
            finally
            {
                if (!active)
                {
                    DeleteQuietly(ContentPath(id));
                    await RequeueQuietlyAsync(image).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _uploading.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// At start-up: images left <c>saving</c> by a service killed during their upload go back to
    /// <c>queued</c> (their partial data is removed by <see cref="StorageLeftovers"/>), so the upload can
    /// be sent again instead of the image being stuck. Returns the images requeued.
    /// </summary>
    public async Task<IReadOnlyList<ImageRecord>> RequeueInterruptedUploadsAsync(CancellationToken cancellationToken)
    {
        var requeued = new List<ImageRecord>();
        foreach (var image in await _registry.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (image.Status == ImageStatus.Saving && !_uploading.ContainsKey(image.Id) && !_saving.ContainsKey(image.Id))
            {
                DeleteQuietly(ContentPath(image.Id));
                if (IsSnapshot(image))
                {
                    await _registry.DeleteAsync(image.Id, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var queued = image with { Status = ImageStatus.Queued, UpdatedAt = _time.GetUtcNow() };
                await _registry.UpdateAsync(queued, cancellationToken).ConfigureAwait(false);
                requeued.Add(queued);
            }
        }

        return requeued;
    }

    /// <summary>Back to queued after a failed upload; an image deleted meanwhile stays deleted.</summary>
    private async Task RequeueQuietlyAsync(ImageRecord image)
    {
        try
        {
            await _registry.UpdateAsync(image with { UpdatedAt = _time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (VireoException exception) when (exception.Kind == ErrorKind.NotFound)
        {
            // Deleted while its data arrived.
            StorageLog.UploadedImageDeleted(_logger, image.Label);
        }
    }

    /// <summary>
    /// One of the <see cref="StorageSettings.MaxConcurrentUploads"/> slots for streaming data, held
    /// until disposed; none free is <see cref="ErrorKind.Unavailable"/> (HTTP 503, retry later), before
    /// anything is stored or changed.
    /// </summary>
    private ReceivingSlot TakeReceivingSlot(string what)
    {
        if (!_receiving.Wait(0))
        {
            LogBusy(_logger, what, _settings.MaxConcurrentUploads);
            throw new VireoException(
                ErrorKind.Unavailable,
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{what} cannot be received now: {_settings.MaxConcurrentUploads} uploads or imports are already streaming, the most [image] max_concurrent_uploads allows; send it again in a few seconds"));
        }

        return new ReceivingSlot(_receiving);
    }

    private sealed class ReceivingSlot(SemaphoreSlim semaphore) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;

        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }

    /// <summary>
    /// What the request says, checked before a byte is stored: the property quota first (Glance's
    /// 413), then every other problem at once.
    /// </summary>
    private void EnsureValid(ImageImportRequest request, bool requireFormat)
    {
        ImageLimits.EnsurePropertyQuota(request.Properties.Count, _settings.ImagePropertyQuota);
        var problems = new List<string>();
        if ((requireFormat || request.DiskFormat is not null) && request.DiskFormat?.IsAccepted() != true)
        {
            problems.Add(DiskFormats.Refusal("disk_format", request.DiskFormat?.Name()));
        }

        problems.AddRange(ImagePropertyRules.Problems(request.Properties));
        if (problems.Count > 0)
        {
            throw VireoException.InvalidInput($"image '{request.Name}' is refused: " + string.Join("; ", problems));
        }
    }

    /// <summary>The stored and checked data of one image.</summary>
    private sealed record Received(long SizeBytes, string Sha256, string Md5, long VirtualSizeBytes)
    {
        public ImageRecord Apply(ImageRecord image) =>
            image with { SizeBytes = SizeBytes, Sha256 = Sha256, Md5 = Md5, VirtualSizeBytes = VirtualSizeBytes };
    }

    /// <summary>
    /// Streams the content to <c>.partial-&lt;id&gt;</c>, checks it as <paramref name="format"/> and
    /// renames it to the image's content path (read-only). Keeps nothing when anything fails.
    /// </summary>
    private async Task<Received> ReceiveAsync(Guid id, string name, DiskFormat format, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        UnixFiles.CreateDirectory(_settings.ImagesDirectory, UnixFiles.PrivateDirectory);
        var partial = Path.Join(_settings.ImagesDirectory, PartialPrefix + id.ToString("D"));
        try
        {
            var (sizeBytes, sha256, md5) = await StoreAsync(content, partial, progress, cancellationToken).ConfigureAwait(false);
            var inspected = await CheckAsync(name, format, partial, sizeBytes, cancellationToken).ConfigureAwait(false);
            if (ImageLimits.IsOverCap(inspected.VirtualSizeBytes, _settings.ImageSizeCapBytes))
            {
                throw ImageLimits.VirtualSizeOverCap(name, inspected.VirtualSizeBytes, _settings.ImageSizeCapBytes);
            }

            var final = ContentPath(id);
            File.Move(partial, final, overwrite: false);
            UnixFiles.SetMode(final, UnixFiles.ReadOnlyFile);
            return new Received(sizeBytes, sha256, md5, inspected.VirtualSizeBytes);
        }
        catch (VireoException exception) when (exception.Kind == ErrorKind.TooLarge)
        {
            if (exception.InnerException is IOException)
            {
                LogStorageFull(_logger, _settings.ImagesDirectory, name, exception.Message);
            }
            else
            {
                LogTooLarge(_logger, name, exception.Message);
            }

            throw;
        }
        finally
        {
            DeleteQuietly(partial);
        }
    }

    /// <summary>The client's bytes into the partial file: size, sha256 and Glance's MD5 checksum on the way.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 only fills Glance's legacy checksum field for clients that compare it; integrity rests on sha256.")]
    private async Task<(long SizeBytes, string Sha256, string Md5)> StoreAsync(Stream content, string partial, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var copied = await HashingCopy.ToNewFileAsync(
            content, partial, UnixFiles.PrivateFile, [HashAlgorithmName.SHA256, HashAlgorithmName.MD5], progress is null ? null : progress.Report,
            _settings.ImageSizeCapBytes, cancellationToken).ConfigureAwait(false);
        return (copied.SizeBytes, copied.HexDigests[0], copied.HexDigests[1]);
    }

    /// <summary>
    /// The checks an image passes before it is accepted: not empty, then
    /// <see cref="ImageContentCheck"/> (the inspector with the declared format, then
    /// <c>qemu-img info</c> with that format). Every problem is named in the refusal.
    /// </summary>
    private async Task<CheckedContent> CheckAsync(string name, DiskFormat format, string path, long sizeBytes, CancellationToken cancellationToken)
    {
        if (sizeBytes == 0)
        {
            throw Refused(name, "the content is empty; send the image's bytes");
        }

        var (content, refusal) = await _check.CheckAsync(path, format, forceShare: false, cancellationToken).ConfigureAwait(false);
        return content ?? throw Refused(name, refusal!.Describe());
    }

    private VireoException Refused(string name, string reason)
    {
        StorageLog.ImageRefused(_logger, name, reason);
        return VireoException.InvalidInput($"image '{name}' is refused: {reason}");
    }

    /// <summary>An image's data is committed: counted in the stored-bytes metric and logged.</summary>
    private void Stored(ImageRecord record)
    {
        VireoMetrics.ImageBytesStored.Add(record.SizeBytes ?? 0);
        StorageLog.ImageStored(_logger, record.Label, record.DiskFormat?.Name(), record.SizeBytes, record.VirtualSizeBytes, record.Sha256);
    }

    private void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover .partial- file is never read as an image.
            StorageLog.PartialNotRemoved(_logger, path, exception.Message);
        }
    }
}

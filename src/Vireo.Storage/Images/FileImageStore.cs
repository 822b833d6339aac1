using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Images;

/// <summary>
/// The minimal image store: each image's bytes in <c>&lt;ImagesDirectory&gt;/&lt;id&gt;</c>, its
/// metadata in the <see cref="IImageRegistry"/>. Bytes only ever arrive as a stream; no path a
/// client names is opened. Bounded as Glance bounds its store: <see cref="StorageSettings.ImageSizeCapBytes"/>
/// (bytes received and virtual size), <see cref="StorageSettings.ImagePropertyQuota"/>, and at most
/// <see cref="StorageSettings.MaxConcurrentUploads"/> streams at once.
/// </summary>
public sealed partial class FileImageStore : IImageStore
{
    private const int BufferSize = 1 << 20;
    private const string PartialPrefix = ".partial-";

    private readonly StorageSettings _settings;
    private readonly IImageRegistry _registry;
    private readonly ImageContentCheck _check;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _uploading = new();
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _receiving;
    private readonly ILogger _logger;

    public FileImageStore(StorageSettings settings, IImageRegistry registry, QemuImg qemuImg, TimeProvider? timeProvider = null, ILogger<FileImageStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(qemuImg);
        settings.Validate();
        _settings = settings;
        _registry = registry;
        _check = new ImageContentCheck(settings, qemuImg);
        _time = timeProvider ?? TimeProvider.System;
        _receiving = new SemaphoreSlim(settings.MaxConcurrentUploads, settings.MaxConcurrentUploads);
        _logger = logger ?? NullLogger<FileImageStore>.Instance;
    }

    /// <summary>Where an image's bytes live (whether or not they exist).</summary>
    public string ContentPath(Guid id) => Path.Join(_settings.ImagesDirectory, id.ToString("D"));

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var record = await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var path = ContentPath(id);
        var hasContent = File.Exists(path);
        if (record is null && !hasContent)
        {
            throw VireoException.NotFound($"image {id} does not exist; list images to find its id");
        }

        // Bytes first: if this fails the metadata is still there and the delete can be retried.
        if (hasContent)
        {
            File.Delete(path);
        }

        if (record is not null)
        {
            await _registry.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }

        // After the delete, so the snapshot's undo finds nothing left to remove.
        CancelSaving(id);
    }

    public Task<Stream> OpenContentAsync(Guid id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(ContentPath(id), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult(stream);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new VireoException(ErrorKind.NotFound, $"image {id} has no stored content in {_settings.ImagesDirectory}; import it again", exception);
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "image store: the storage under {Directory} is full; image '{Image}' was refused and its partial data removed: {Reason}")]
    private static partial void LogStorageFull(ILogger logger, string directory, string image, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "image store: image '{Image}' was refused as too large: {Reason}")]
    private static partial void LogTooLarge(ILogger logger, string image, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "image store: {Image} was refused: all {Slots} upload slots are streaming ([image] max_concurrent_uploads)")]
    private static partial void LogBusy(ILogger logger, string image, int slots);
}

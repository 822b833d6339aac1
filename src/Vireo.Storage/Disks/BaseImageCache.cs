using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Images;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Disks;

/// <summary>How far a base fill has got: the stage ("copying", "converting qcow2 to raw") and the
/// whole fill's percentage (0-100).</summary>
public sealed record BaseFillProgress(string Stage, int Percent);

/// <summary>
/// Nova's base image cache: <c>&lt;InstancesPath&gt;/&lt;BaseSubdirectory&gt;/&lt;sha1 hex of the image id&gt;</c>
/// holds the image's bytes, converted to raw when <see cref="StorageSettings.ForceRawImages"/> is
/// on and the image is not raw, else unchanged in the image's format. The bytes are checked
/// (sha256, <see cref="ImageContentCheck"/>) when filled and the base is checked again before
/// every use, so a base changed on disk after import is refused. Concurrent users of one base
/// in this process wait on one fill; processes sharing the directory are kept apart by filling
/// a temporary file and renaming it into place.
/// </summary>
public sealed partial class BaseImageCache
{
    private readonly StorageSettings _settings;
    private readonly IImageStore _images;
    private readonly QemuImg _qemuImg;
    private readonly ImageContentCheck _check;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BaseDirectoryGates _gates = new();
    private int _fills;

    public BaseImageCache(StorageSettings settings, IImageStore images, QemuImg qemuImg, TimeProvider? timeProvider = null, ILogger<BaseImageCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(qemuImg);
        settings.Validate();
        _settings = settings;
        _images = images;
        _qemuImg = qemuImg;
        _check = new ImageContentCheck(settings, qemuImg);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<BaseImageCache>.Instance;
    }

    /// <summary>How many bases this cache has filled since it was made.</summary>
    public int Fills => Volatile.Read(ref _fills);

    /// <summary>Nova's <c>get_cache_fname</c>: the SHA-1 hex (40 lowercase characters) of the image id string.</summary>
    public static string CacheFileName(Guid imageId) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId.ToString("D"))));

    public string BasePath(Guid imageId) => Path.Join(_settings.BaseDirectory, CacheFileName(imageId));

    /// <summary>
    /// Makes sure the image's base exists (filling it from the image store when missing),
    /// checks it, touches its modification time (last use, for a cache cleaner) and holds it
    /// until the lease is disposed, so nothing in this process replaces or removes it meanwhile.
    /// </summary>
    /// <param name="progress">Receives the fill's progress when this call fills the base.</param>
    /// <exception cref="VireoException">
    /// InvalidInput when the image's format cannot boot; Failed when the stored bytes do not
    /// match the image's sha256, a conversion fails, or the base fails its safety check.
    /// </exception>
    public async Task<BaseImageLease> AcquireAsync(ImageRecord image, IProgress<BaseFillProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.DiskFormat is not { } format || !format.IsAccepted())
        {
            throw VireoException.InvalidInput($"{image.Label} cannot boot: " + DiskFormats.Refusal("its disk_format", image.DiskFormat?.Name()));
        }

        var path = BasePath(image.Id);
        var gate = _gates.For(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Checked after acquiring: whoever held the gate before may have filled it. A base this
            // call has just filled and checked is not checked again; any other is, every time.
            var filled = File.Exists(path) ? null : await FillAsync(image, format, path, progress, cancellationToken).ConfigureAwait(false);
            var content = filled ?? await VerifyAsync(image, path, cancellationToken).ConfigureAwait(false);
            if (filled is null)
            {
                StorageLog.BaseReused(_logger, path, image.Label, content.DiskFormat.Name());
            }

            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            return new BaseImageLease(path, content.DiskFormat, content.Info, gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>As <see cref="AcquireAsync(ImageRecord, IProgress{BaseFillProgress}?, CancellationToken)"/> without progress.</summary>
    public Task<BaseImageLease> AcquireAsync(ImageRecord image, CancellationToken cancellationToken) => AcquireAsync(image, null, cancellationToken);

    /// <summary>
    /// Fills the base through a checked temporary file renamed into place; returns what that check
    /// found, or null when another process sharing instances_path put its own base there first.
    /// </summary>
    private async Task<CheckedContent?> FillAsync(ImageRecord image, DiskFormat format, string path, IProgress<BaseFillProgress>? progress, CancellationToken cancellationToken)
    {
        UnixFiles.CreateDirectory(_settings.BaseDirectory, UnixFiles.SharedDirectory);
        var clock = Stopwatch.StartNew();
        Interlocked.Increment(ref _fills);
        var stem = Path.Join(_settings.BaseDirectory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        var copy = stem + ".part";
        var converted = stem + ".raw.part";
        try
        {
            // With a conversion to come, copying is the first 30 % of the fill.
            var convert = _settings.ForceRawImages && format.QemuName() != DiskFormat.Raw.QemuName();
            var copyShare = convert ? 30 : 100;
            LogFilling(_logger, image.Label, path, format.Name(), convert);
            var sha256 = await CopyAsync(image, copy, bytes => progress?.Report(new BaseFillProgress("copying", Percent(bytes, image.SizeBytes, copyShare))), cancellationToken).ConfigureAwait(false);
            if (image.Sha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new VireoException(
                    ErrorKind.Failed,
                    $"the stored bytes of {image.Label} have sha256 {sha256} but the image says {expected}; the store is damaged, delete and import the image again");
            }

            // The copy is checked before anything reads it, QEMU included.
            var (content, refusal) = await _check.CheckAsync(copy, format, forceShare: false, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                throw Unsafe(image, copy, refusal!);
            }

            var ready = copy;
            if (convert)
            {
                var stage = $"converting {format.Name()} to raw";
                var lastLogged = -1;
                var percent = new InlineProgress<double>(p =>
                {
                    var whole = copyShare + (int)(p * (100 - copyShare) / 100);
                    progress?.Report(new BaseFillProgress(stage, whole));
                    if ((int)p / 10 > lastLogged)
                    {
                        lastLogged = (int)p / 10;
                        LogConverting(_logger, image.Label, format.Name(), (int)p);
                    }
                });
                await _qemuImg.ConvertAsync(copy, content.DiskFormat, converted, DiskFormat.Raw, percent, cancellationToken).ConfigureAwait(false);
                (content, refusal) = await _check.CheckAsync(converted, DiskFormat.Raw, forceShare: false, cancellationToken).ConfigureAwait(false);
                if (content is null)
                {
                    throw Unsafe(image, converted, refusal!);
                }

                ready = converted;
            }

            UnixFiles.SetMode(ready, UnixFiles.SharedFile);
            try
            {
                File.Move(ready, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process sharing instances_path filled it first; its copy is checked by the caller.
                content = null;
                StorageLog.BaseFilledElsewhere(_logger, path);
            }

            progress?.Report(new BaseFillProgress("ready", 100));
            LogFilled(_logger, image.Label, path, content?.DiskFormat.Name() ?? "the other filler's format", clock.ElapsedMilliseconds);
            return content;
        }
        finally
        {
            File.Delete(copy);
            File.Delete(converted);
        }
    }

    private static int Percent(long done, long? total, int share) =>
        total is > 0 ? (int)Math.Min(share, done * share / total.Value) : 0;

    private async Task<string> CopyAsync(ImageRecord image, string temporary, Action<long> copied, CancellationToken cancellationToken)
    {
        var source = await _images.OpenContentAsync(image.Id, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var file = await HashingCopy.ToNewFileAsync(source, temporary, UnixFiles.SharedFile, [HashAlgorithmName.SHA256], copied, long.MaxValue, cancellationToken).ConfigureAwait(false);
            return file.HexDigests[0];
        }
    }

    /// <summary>
    /// The checks a base passes before every use (Nova re-inspects bases each time, CVE-2024-32498):
    /// the content is the image's format, or raw when it was converted (with
    /// force_raw_images, now or when it was filled), and passes <see cref="ImageContentCheck"/>.
    /// <c>-U</c> because running guests hold the base open.
    /// </summary>
    private async Task<CheckedContent> VerifyAsync(ImageRecord image, string path, CancellationToken cancellationToken)
    {
        var format = image.DiskFormat!.Value;
        var (content, refusal) = await _check.CheckAsync(path, format, forceShare: true, cancellationToken).ConfigureAwait(false);
        if (content is null && format.QemuName() != DiskFormat.Raw.QemuName())
        {
            // A converted base is raw; the first refusal is the one worth reading when it is not.
            var (raw, _) = await _check.CheckAsync(path, DiskFormat.Raw, forceShare: true, cancellationToken).ConfigureAwait(false);
            content = raw;
        }

        return content ?? throw Unsafe(image, path, refusal!);
    }

    private VireoException Unsafe(ImageRecord image, string path, ContentRefusal refusal)
    {
        StorageLog.BaseRefused(_logger, path, image.Label, refusal.Describe());
        return new(ErrorKind.Failed, $"the cached base {path} of {image.Label} failed its safety check: {refusal.Describe()}; remove that file so it is fetched again, and find out who changed it");
    }

    [LoggerMessage(EventId = 3301, EventName = "BaseFilling", Level = LogLevel.Information, Message = "base image cache: filling {Path} from {Image} ({Format}, converting to raw: {Convert})")]
    private static partial void LogFilling(ILogger logger, string image, string path, string format, bool convert);

    [LoggerMessage(EventId = 3302, EventName = "BaseConverting", Level = LogLevel.Information, Message = "base image cache: converting {Image} from {Format} to raw: {Percent}%")]
    private static partial void LogConverting(ILogger logger, string image, string format, int percent);

    [LoggerMessage(EventId = 3303, EventName = "BaseCached", Level = LogLevel.Information, Message = "base image cache: {Path} of {Image} is ready as {Format} after {ElapsedMs} ms")]
    private static partial void LogFilled(ILogger logger, string image, string path, string format, long elapsedMs);
}

/// <summary>A checked base image, held until disposed.</summary>
/// <param name="Path">Absolute path of the base file.</param>
/// <param name="Format">Its format (the image's, or raw once converted), passed explicitly to QEMU.</param>
/// <param name="Info">What qemu-img reported when it was checked for this use.</param>
public sealed class BaseImageLease(string path, DiskFormat format, ImageInfo info, SemaphoreSlim gate) : IDisposable
{
    private SemaphoreSlim? _gate = gate;

    public string Path { get; } = path;

    public DiskFormat Format { get; } = format;

    public ImageInfo Info { get; } = info;

    public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
}

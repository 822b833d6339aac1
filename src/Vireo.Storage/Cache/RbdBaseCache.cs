using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Diagnostics;
using Vireo.Core.ImageCache;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Rbd;

namespace Vireo.Storage.Cache;

/// <summary>
/// The RBD bases of <c>images_rbd_pool</c> as cache entries (images_type = rbd): reads each base
/// the rbd backend makes (an image's, named by its id; an ephemeral/swap template's, named as in the
/// base directory) with its protected snapshot, the clones of that snapshot (<c>rbd children</c>)
/// and its creation time (<c>rbd info</c>), and removes an unused one (unprotect, snap rm, rm)
/// under the rbd backend's gate of that base, after reading its clones again while holding it, so a
/// create in this service never loses its base between its look and its clone. Ceph itself refuses
/// to unprotect a snapshot that has clones, which covers creates on other hosts sharing the pool.
/// </summary>
public sealed partial class RbdBaseCache
{
    private readonly RbdClient _rbd;
    private readonly RbdBackend _backend;
    private readonly ILogger _logger;
    private readonly TimeZoneInfo? _zone;

    /// <param name="zone">The zone rbd prints its time stamps in; null: the host's (<see cref="RbdTimestamps"/>).</param>
    public RbdBaseCache(RbdBackend backend, ILogger<RbdBaseCache>? logger = null, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _zone = zone;
        _backend = backend;
        _rbd = backend.Client;
        _logger = logger ?? NullLogger<RbdBaseCache>.Instance;
    }

    public string Pool => _rbd.Settings.Pool;

    /// <summary>True for a name the rbd backend gives a base: an image id (lower-case, with dashes) or a template name.</summary>
    public static bool IsBaseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (Guid.TryParseExact(name, "D", out var id) && string.Equals(id.ToString("D"), name, StringComparison.Ordinal))
            || ImageCacheDecision.KindOf(name) is CachedFileKind.EphemeralTemplate or CachedFileKind.SwapTemplate;
    }

    /// <summary>The bases a create in this service holds now.</summary>
    public IReadOnlySet<string> Held() => _backend.HeldBases();

    /// <summary>Every base in the pool with its facts; one removed while it is read is left out.</summary>
    /// <param name="images">The images the store knows, to name image bases.</param>
    public async Task<IReadOnlyList<RbdBaseFact>> ReadAsync(IReadOnlyDictionary<Guid, CachedImage> images, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var facts = new List<RbdBaseFact>();
        foreach (var name in (await _rbd.ListAsync(cancellationToken).ConfigureAwait(false)).Where(IsBaseName))
        {
            if (await ReadOneAsync(name, images, now, cancellationToken).ConfigureAwait(false) is { } fact)
            {
                facts.Add(fact);
            }
        }

        return facts;
    }

    /// <summary>One base's facts; null when it is gone.</summary>
    public async Task<RbdBaseFact?> ReadOneAsync(string name, IReadOnlyDictionary<Guid, CachedImage> images, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        try
        {
            var snapshots = await _rbd.SnapshotsAsync(name, cancellationToken).ConfigureAwait(false);
            var ready = snapshots.Any(s => s.Name == RbdBackend.BaseSnapshot && s.IsProtected);
            IReadOnlyList<string> children = ready ? await _rbd.ChildrenAsync(name, RbdBackend.BaseSnapshot, cancellationToken).ConfigureAwait(false) : [];
            var info = await _rbd.InfoAsync(name, cancellationToken).ConfigureAwait(false);
            var created = _zone is null ? info.CreatedAt : RbdTimestamps.Parse(info.CreateTimestampText, _zone);

            // Without a creation time it counts as made now: never old enough to remove.
            var image = Guid.TryParseExact(name, "D", out var id) ? images.GetValueOrDefault(id) : null;
            return new RbdBaseFact(Pool, name, info.SizeBytes, created ?? now, ready, children, image);
        }
        catch (VireoException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>The rbd backend's gate of the base; null when a create holds it.</summary>
    public IDisposable? TryHold(string name) => _backend.TryHoldBase(name);

    /// <summary>Unprotect, snap rm, rm; false (logged) when Ceph refuses, e.g. a clone made meanwhile from another host.</summary>
    public async Task<bool> RemoveAsync(CacheVerdict verdict, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        try
        {
            await _rbd.UnprotectSnapshotAsync(name, RbdBackend.BaseSnapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.Failed or ErrorKind.Unavailable)
        {
            LogRemoveFailed(_logger, Pool, name, e.Message);
            return false;
        }

        try
        {
            await _rbd.RemoveSnapshotAsync(name, RbdBackend.BaseSnapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VireoException or OperationCanceledException)
        {
            // Undo: protected again, the base stays usable for the next create.
            LogRemoveFailed(_logger, Pool, name, e.Message);
            await ReprotectAsync(name).ConfigureAwait(false);
            return false;
        }

        try
        {
            await _rbd.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VireoException or OperationCanceledException)
        {
            // An image without its snapshot is no base any more: a create waiting for it says to rbd rm it.
            LogRemoveFailed(_logger, Pool, name, e.Message);
            return false;
        }

        var what = verdict.Image is { } image ? string.Create(CultureInfo.InvariantCulture, $"image {image.Id:D} ({image.Name})") : "template";
        LogRemoved(_logger, Pool, name, what, verdict.SizeBytes, (long)verdict.Age.TotalSeconds, verdict.Reason);
        VireoMetrics.RecordImageCacheRemoval(ImageCacheDecision.KindName(CachedFileKind.RbdBase));
        return true;
    }

    private async Task ReprotectAsync(string name)
    {
        try
        {
            await _rbd.ProtectSnapshotAsync(name, RbdBackend.BaseSnapshot, CancellationToken.None).ConfigureAwait(false);
        }
        catch (VireoException e)
        {
            LogReprotectFailed(_logger, Pool, name, e.Message);
        }
    }

    [LoggerMessage(EventId = 3503, EventName = "RbdBaseReprotectFailed", Level = LogLevel.Error,
        Message = "image cache manager: RBD base {Pool}/{Image} lost its protection and could not get it back ({Reason}); protect it with rbd snap protect {Pool}/{Image}@snap")]
    private static partial void LogReprotectFailed(ILogger logger, string pool, string image, string reason);

    [LoggerMessage(EventId = 3501, EventName = "RbdBaseRemoved", Level = LogLevel.Information,
        Message = "image cache manager: removed RBD base {Pool}/{Image} ({What}, {SizeBytes} bytes, imported {AgeSeconds} s ago) with its snapshot snap: {Reason}")]
    private static partial void LogRemoved(ILogger logger, string pool, string image, string what, long sizeBytes, long ageSeconds, string reason);

    [LoggerMessage(EventId = 3502, EventName = "RbdBaseRemoveFailed", Level = LogLevel.Warning,
        Message = "image cache manager: could not remove RBD base {Pool}/{Image}: {Reason}; the next pass looks at it again")]
    private static partial void LogRemoveFailed(ILogger logger, string pool, string image, string reason);
}

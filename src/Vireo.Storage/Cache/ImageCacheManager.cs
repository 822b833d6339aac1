using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core.Diagnostics;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;

namespace Vireo.Storage.Cache;

/// <summary>
/// Nova's image cache manager for the file bases: reads the facts, decides with
/// <see cref="ImageCacheDecision"/>, and in a pass removes what the decision says, each entry
/// under the same gate the base cache fills and leases it under, after reading the facts again
/// while holding it (so a create that started meanwhile is seen as a user). With images_type = rbd
/// the pool's RBD bases are entries too (<see cref="RbdBaseCache"/>, <see cref="RbdBaseDecision"/>).
/// </summary>
public sealed partial class ImageCacheManager : IImageCacheManager
{
    private readonly StorageSettings _settings;
    private readonly BaseImageCache _bases;
    private readonly ImageCacheFactsReader _facts;
    private readonly ImageCacheRules _rules;
    private readonly TimeSpan? _interval;
    private readonly ILogger _logger;
    private readonly RbdBaseCache? _rbdBases;

    /// <param name="interval">How often the pass runs; null when it never does (only reported).</param>
    /// <param name="rbdBases">With images_type = rbd: the RBD bases of the pool, judged and removed as cache entries too.</param>
    public ImageCacheManager(
        StorageSettings settings, BaseImageCache bases, IInstanceStore instances, IImageCatalog images, ImageCacheRules rules, TimeSpan? interval,
        TimeProvider? time = null, ILogger<ImageCacheManager>? logger = null, RbdBaseCache? rbdBases = null)
    {
        _rbdBases = rbdBases;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(rules);
        _settings = settings;
        _bases = bases;
        _facts = new ImageCacheFactsReader(settings, bases, instances, images, time ?? TimeProvider.System);
        _rules = rules;
        _interval = interval;
        _logger = logger ?? NullLogger<ImageCacheManager>.Instance;
    }

    /// <summary>How often the pass runs; null when it never does (<c>manager_interval = -1</c>).</summary>
    public TimeSpan? Interval => _interval;

    public async Task<ImageCacheReport> InspectAsync(CancellationToken cancellationToken)
    {
        var facts = await _facts.ReadAsync(cancellationToken).ConfigureAwait(false);
        var entries = ImageCacheDecision.Decide(facts, _rules);
        if (_rbdBases is not null)
        {
            var bases = await _rbdBases.ReadAsync(ImagesById(facts), facts.Now, cancellationToken).ConfigureAwait(false);
            entries = [.. entries, .. RbdBaseDecision.Decide(bases, _rbdBases.Held(), facts.Now, _rules)];
        }

        return new ImageCacheReport(facts.Now, _interval, entries);
    }

    private static Dictionary<Guid, CachedImage> ImagesById(ImageCacheFacts facts) =>
        facts.Images.Values.GroupBy(image => image.Id).ToDictionary(group => group.Key, group => group.First());

    /// <summary>One pass: removes every entry the decision says to remove; returns what it removed.</summary>
    public async Task<IReadOnlyList<CacheVerdict>> RunPassAsync(CancellationToken cancellationToken)
    {
        var first = await InspectAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<CacheVerdict>(await RemoveFilesAsync(first, cancellationToken).ConfigureAwait(false));
        if (_rbdBases is not null)
        {
            removed.AddRange(await RemoveRbdBasesAsync(_rbdBases, first, cancellationToken).ConfigureAwait(false));
        }

        return removed;
    }

    /// <summary>
    /// Each RBD base the first look says to remove, under the rbd backend's gate of it, judged again
    /// from its clones read while holding the gate.
    /// </summary>
    private async Task<IReadOnlyList<CacheVerdict>> RemoveRbdBasesAsync(RbdBaseCache rbd, ImageCacheReport first, CancellationToken cancellationToken)
    {
        var removed = new List<CacheVerdict>();
        var prefix = rbd.Pool + "/";
        foreach (var candidate in first.Entries.Where(e => e.Kind == CachedFileKind.RbdBase && e.Action == CacheAction.Remove))
        {
            var name = candidate.Name[prefix.Length..];
            using var hold = rbd.TryHold(name);
            if (hold is null)
            {
                LogBusy(_logger, candidate.Name);
                continue;
            }

            var images = candidate.Image is { } image ? new Dictionary<Guid, CachedImage> { [image.Id] = image } : [];
            if (await rbd.ReadOneAsync(name, images, first.At, cancellationToken).ConfigureAwait(false) is not { } fact)
            {
                continue;
            }

            var again = RbdBaseDecision.Decide([fact], new HashSet<string>(StringComparer.Ordinal), first.At, _rules).Single();
            if (again.Action == CacheAction.Remove && await rbd.RemoveAsync(again, name, cancellationToken).ConfigureAwait(false))
            {
                removed.Add(again);
            }
        }

        return removed;
    }

    private async Task<IReadOnlyList<CacheVerdict>> RemoveFilesAsync(ImageCacheReport first, CancellationToken cancellationToken)
    {
        var candidates = first.Entries.Where(entry => entry.Kind != CachedFileKind.RbdBase && entry.Action == CacheAction.Remove).ToList();
        LogPass(_logger, first.Entries.Count, first.Entries.Count(e => e.Action == CacheAction.InUse), candidates.Count);
        if (candidates.Count == 0)
        {
            return [];
        }

        var holds = new Dictionary<string, IDisposable>(StringComparer.Ordinal);
        try
        {
            foreach (var candidate in candidates)
            {
                if (_bases.TryHold(candidate.Name) is { } hold)
                {
                    holds[candidate.Name] = hold;
                }
                else
                {
                    LogBusy(_logger, candidate.Name);
                }
            }

            // Read again under the gates: a create that leased a base after the first read and made
            // its disk since then is a user now, and one that has not leased it yet waits for us.
            var again = await _facts.ReadAsync(cancellationToken).ConfigureAwait(false);
            var removed = new List<CacheVerdict>();
            foreach (var verdict in ImageCacheDecision.Decide(again with { Held = new HashSet<string>(StringComparer.Ordinal) }, _rules)
                .Where(verdict => verdict.Action == CacheAction.Remove && holds.ContainsKey(verdict.Name)))
            {
                if (Remove(verdict))
                {
                    removed.Add(verdict);
                }
            }

            return removed;
        }
        finally
        {
            foreach (var hold in holds.Values)
            {
                hold.Dispose();
            }
        }
    }

    private bool Remove(CacheVerdict verdict)
    {
        var path = Path.Join(_settings.BaseDirectory, verdict.Name);
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, path, exception.Message);
            return false;
        }

        var what = verdict.Image is { } image ? string.Create(CultureInfo.InvariantCulture, $"image {image.Id:D} ({image.Name})") : ImageCacheDecision.KindName(verdict.Kind);
        LogRemoved(_logger, path, what, verdict.SizeBytes, (long)verdict.Age.TotalSeconds, verdict.Reason);
        VireoMetrics.RecordImageCacheRemoval(ImageCacheDecision.KindName(verdict.Kind));
        return true;
    }

    [LoggerMessage(EventId = 3800, EventName = "ImageCachePass", Level = LogLevel.Debug,
        Message = "image cache manager: {Entries} entries in the base directory, {InUse} in use, {Candidates} to remove")]
    private static partial void LogPass(ILogger logger, int entries, int inUse, int candidates);

    [LoggerMessage(EventId = 3801, EventName = "ImageCacheRemoved", Level = LogLevel.Information,
        Message = "image cache manager: removed {Path} ({What}, {SizeBytes} bytes, last used {AgeSeconds} s ago): {Reason}")]
    private static partial void LogRemoved(ILogger logger, string path, string what, long sizeBytes, long ageSeconds, string reason);

    [LoggerMessage(EventId = 3802, EventName = "ImageCacheBusy", Level = LogLevel.Debug,
        Message = "image cache manager: {Name} is held by a create now; the next pass looks at it again")]
    private static partial void LogBusy(ILogger logger, string name);

    [LoggerMessage(EventId = 3803, EventName = "ImageCacheRemoveFailed", Level = LogLevel.Warning,
        Message = "image cache manager: could not remove {Path}: {Reason}; the next pass tries again")]
    private static partial void LogRemoveFailed(ILogger logger, string path, string reason);
}

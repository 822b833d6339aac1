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
/// while holding it (so a create that started meanwhile is seen as a user).
/// </summary>
public sealed partial class ImageCacheManager : IImageCacheManager
{
    private readonly StorageSettings _settings;
    private readonly BaseImageCache _bases;
    private readonly ImageCacheFactsReader _facts;
    private readonly ImageCacheRules _rules;
    private readonly TimeSpan? _interval;
    private readonly ILogger _logger;

    /// <param name="interval">How often the pass runs; null when it never does (only reported).</param>
    public ImageCacheManager(
        StorageSettings settings, BaseImageCache bases, IInstanceStore instances, IImageCatalog images, ImageCacheRules rules, TimeSpan? interval,
        TimeProvider? time = null, ILogger<ImageCacheManager>? logger = null)
    {
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
        return new ImageCacheReport(facts.Now, _interval, ImageCacheDecision.Decide(facts, _rules));
    }

    /// <summary>One pass: removes every entry the decision says to remove; returns what it removed.</summary>
    public async Task<IReadOnlyList<CacheVerdict>> RunPassAsync(CancellationToken cancellationToken)
    {
        var first = await InspectAsync(cancellationToken).ConfigureAwait(false);
        var candidates = first.Entries.Where(entry => entry.Action == CacheAction.Remove).ToList();
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

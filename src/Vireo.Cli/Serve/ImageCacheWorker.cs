using Microsoft.Extensions.Logging;
using Vireo.Core.Compute;
using Vireo.Storage.Cache;

namespace Vireo.Cli.Serve;

/// <summary>
/// The periodic pass of the image cache manager (Nova's <c>_run_image_cache_manager_pass</c>):
/// every <c>[image_cache] manager_interval</c> (<see cref="PeriodicPassWorker"/>); skipped before
/// start-up reconciliation because until then who uses a base is not known.
/// </summary>
public sealed partial class ImageCacheWorker(ImageCacheManager manager, ServiceReadiness readiness, TimeProvider time, ILogger<ImageCacheWorker> logger)
    : PeriodicPassWorker(readiness, manager.Interval, time)
{
    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var removed = await manager.RunPassAsync(cancellationToken).ConfigureAwait(false);
        LogPassDone(logger, removed.Count);
    }

    protected override void ReportDisabled() => LogDisabled(logger);

    protected override void ReportScheduled(TimeSpan every) => LogScheduled(logger, (long)every.TotalSeconds);

    protected override void ReportSkipped() => LogSkipped(logger);

    // Nothing was removed after the failure (a store or file error); the next pass reads everything again.
    protected override void ReportFailed(Exception failure) => LogPassFailed(logger, failure.GetType().Name, failure.Message);

    [LoggerMessage(EventId = 5800, EventName = "ImageCacheDisabled", Level = LogLevel.Information,
        Message = "image cache manager: [image_cache] manager_interval is negative, so no pass runs; `vireo image cache` still shows the cache")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 5801, EventName = "ImageCacheScheduled", Level = LogLevel.Debug,
        Message = "image cache manager: a pass every {IntervalSeconds} s ([image_cache] manager_interval)")]
    private static partial void LogScheduled(ILogger logger, long intervalSeconds);

    [LoggerMessage(EventId = 5802, EventName = "ImageCacheSkipped", Level = LogLevel.Information,
        Message = "image cache manager: pass skipped, start-up reconciliation has not run yet")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(EventId = 5803, EventName = "ImageCachePassDone", Level = LogLevel.Debug,
        Message = "image cache manager: pass done, {Removed} removed")]
    private static partial void LogPassDone(ILogger logger, int removed);

    [LoggerMessage(EventId = 5804, EventName = "ImageCachePassFailed", Level = LogLevel.Warning,
        Message = "image cache manager: pass failed ({Kind}: {Reason}); nothing more was removed, the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, string kind, string reason);
}

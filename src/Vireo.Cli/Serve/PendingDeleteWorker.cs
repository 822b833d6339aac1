using Microsoft.Extensions.Logging;
using Vireo.Core.Compute;

namespace Vireo.Cli.Serve;

/// <summary>
/// The periodic pending-delete pass (Nova's <c>_run_pending_deletes</c>): every
/// <c>[DEFAULT] instance_delete_interval</c>, once start-up reconciliation has run, removes what
/// deleted servers still have (a guest, RBD images or logical volumes, the instance directory):
/// a delete whose disk removal failed is retried here until it succeeds. Orphans (no row) are only
/// listed, never removed by a pass.
/// </summary>
public sealed partial class PendingDeleteWorker(ComputeService compute, ServiceReadiness readiness, TimeSpan? interval, TimeProvider time, ILogger<PendingDeleteWorker> logger)
    : PeriodicPassWorker(readiness, interval, time)
{
    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var report = await compute.RunPendingDeletesAsync(compute.ServiceContext(), cancellationToken).ConfigureAwait(false);
        if (report.Done.Count > 0 || report.Failed.Count > 0)
        {
            LogPassDone(logger, report.Done.Count, string.Join("; ", report.Done), report.Failed.Count, string.Join("; ", report.Failed.Select(f => $"{f.Action}: {f.Exception.Message}")));
        }
    }

    protected override void ReportDisabled() => LogDisabled(logger);

    // The facts could not be read (libvirt away, the store busy): the next pass reads them again.
    protected override void ReportFailed(Exception failure) => LogPassFailed(logger, failure.GetType().Name, failure.Message);

    [LoggerMessage(EventId = 5250, EventName = "PendingDeletesDisabled", Level = LogLevel.Information,
        Message = "pending-delete pass: [DEFAULT] instance_delete_interval is negative, so deleted servers' leftovers are removed only by start-up reconciliation")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 5251, EventName = "PendingDeletesPassDone", Level = LogLevel.Information,
        Message = "pending-delete pass: {Done} done ({Actions}), {Failed} failed ({Failures}); failures are retried next pass")]
    private static partial void LogPassDone(ILogger logger, int done, string actions, int failed, string failures);

    [LoggerMessage(EventId = 5252, EventName = "PendingDeletesPassFailed", Level = LogLevel.Warning,
        Message = "pending-delete pass failed ({Kind}: {Reason}); the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, string kind, string reason);
}

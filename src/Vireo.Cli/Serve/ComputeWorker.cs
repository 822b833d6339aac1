using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;

namespace Vireo.Cli.Serve;

/// <summary>
/// The service's background duties: start-up reconciliation (retried until libvirt answers; the
/// API accepts writes only once it has run, see <see cref="ServiceReadiness"/>), then
/// following lifecycle events so power state stays in sync; after libvirt comes back from a restart
/// every idle instance is re-read, since events were missed while it was away.
/// </summary>
public sealed partial class ComputeWorker(
    ComputeService compute, IInstanceStore instances, ServiceReadiness readiness, FaultInjection faults, ILogger<ComputeWorker> logger, TimeProvider time)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>Completes once start-up reconciliation has run.</summary>
    public Task Reconciled => readiness.WhenReady;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReconcileUntilDoneAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAllAsync(stoppingToken).ConfigureAwait(false);
                await compute.FollowPowerStateChangesAsync(
                    (change, e) => LogEventFailed(change.InstanceId, e.Message), compute.ServiceContext(), stoppingToken).ConfigureAwait(false);
            }
            catch (VireoException e) when (e.Kind == ErrorKind.Unavailable && !stoppingToken.IsCancellationRequested)
            {
                LogLibvirtUnavailable(e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogWatchFailed(e.GetType().Name, e.Message);
            }
            await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ReconcileUntilDoneAsync(CancellationToken stoppingToken)
    {
        var delay = faults.ReconcileDelay;
        if (delay > TimeSpan.Zero)
        {
            LogReconcileDelayed($"{FaultInjection.Variable} ({FaultInjection.ReconcileDelayKey})", delay.TotalSeconds);
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }

        while (true)
        {
            try
            {
                var report = await compute.ReconcileAsync(compute.ServiceContext(), stoppingToken).ConfigureAwait(false);
                readiness.MarkReady();
                LogReconciled(report.Done.Count, string.Join("; ", report.Done), report.Failed.Count, string.Join("; ", report.Failed));
                Report(report);
                LogAcceptingWrites();
                return;
            }
            catch (VireoException e) when (e.Kind == ErrorKind.Unavailable && !stoppingToken.IsCancellationRequested)
            {
                LogLibvirtUnavailable(e.Message);
                await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Report(ReconcileReport report)
    {
        foreach (var orphan in report.Quarantined)
        {
            LogQuarantined(orphan.InstanceId, Describe(orphan), orphan.InstanceId);
        }

        foreach (var directory in report.NotOwned)
        {
            LogNotOwned(directory.Path, directory.Owner is { } owner ? $"installation {owner.InstallationId} on host {owner.Host}" : "nobody (no owner file)");
        }
    }

    private static string Describe(Orphan orphan)
    {
        var what = orphan.Kind switch
        {
            OrphanKind.Both => $"a guest (libvirt domain {orphan.InstanceId:D}, {orphan.GuestState}) and an instance directory ({orphan.DirectoryPath})",
            OrphanKind.Guest => $"a guest (libvirt domain {orphan.InstanceId:D}, {orphan.GuestState})",
            OrphanKind.Directory => $"an instance directory ({orphan.DirectoryPath})",
            _ => null,
        };
        var disks = orphan.Disks.Count == 0 ? null : $"disks outside the instance directory ({string.Join(", ", orphan.Disks.Select(disk => disk.Name))})";
        return string.Join(" and ", new[] { what, disks }.OfType<string>());
    }

    /// <summary>Re-reads every idle instance's guest: events missed while libvirt was away are made up for.</summary>
    private async Task SyncAllAsync(CancellationToken stoppingToken)
    {
        foreach (var instance in await instances.ListAsync(includeDeleted: false, stoppingToken).ConfigureAwait(false))
        {
            await compute.ApplyPowerStateChangeAsync(
                new PowerStateChange(instance.Id, instance.PowerState, time.GetUtcNow()), compute.ServiceContext(), stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning,
        Message = "instance {InstanceId} has {What} of this installation but no database row; it is quarantined and left untouched (run `vireo host orphans` to list it; `vireo host orphans --purge {PurgeId}` removes it)")]
    private partial void LogQuarantined(Guid instanceId, string what, Guid purgeId);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "instance directory {Path} belongs to {Owner}, not to this installation on this host; reconciliation leaves it alone")]
    private partial void LogNotOwned(string path, string owner);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Variable} delays reconciliation at start by {Seconds} s; unset it outside tests")]
    private partial void LogReconcileDelayed(string variable, double seconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "start-up reconciliation finished; accepting writes")]
    private partial void LogAcceptingWrites();

    [LoggerMessage(EventId = 5400, EventName = "Reconciled", Level = LogLevel.Information, Message = "start-up reconciliation: {Done} action(s) done [{Actions}], {Failed} failed [{Failures}]")]
    private partial void LogReconciled(int done, string actions, int failed, string failures);

    [LoggerMessage(EventId = 5401, EventName = "LibvirtUnavailable", Level = LogLevel.Warning, Message = "{Message}; retrying")]
    private partial void LogLibvirtUnavailable(string message);

    [LoggerMessage(EventId = 5402, EventName = "PowerStateSyncFailed", Level = LogLevel.Warning, Message = "power state sync for instance {InstanceId} failed: {Message}")]
    private partial void LogEventFailed(Guid instanceId, string message);

    [LoggerMessage(EventId = 5403, EventName = "WatchFailed", Level = LogLevel.Error, Message = "following lifecycle events failed ({Type}: {Message}); restarting")]
    private partial void LogWatchFailed(string type, string message);
}

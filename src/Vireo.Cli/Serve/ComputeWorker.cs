using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Cli.Serve;

/// <summary>
/// The service's background duties: start-up reconciliation (retried until libvirt answers), then
/// following lifecycle events so power state stays in sync; after libvirt comes back from a restart
/// every idle instance is re-read, since events were missed while it was away.
/// </summary>
public sealed partial class ComputeWorker(ComputeService compute, IInstanceStore instances, ILogger<ComputeWorker> logger, TimeProvider time)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource reconciled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once start-up reconciliation has run.</summary>
    public Task Reconciled => reconciled.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReconcileUntilDoneAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAllAsync(stoppingToken).ConfigureAwait(false);
                await compute.FollowPowerStateChangesAsync(
                    (change, e) => LogEventFailed(change.InstanceId, e.Message), stoppingToken).ConfigureAwait(false);
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
        while (true)
        {
            try
            {
                var report = await compute.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                LogReconciled(report.Done.Count, string.Join("; ", report.Done), report.Failed.Count, string.Join("; ", report.Failed));
                reconciled.TrySetResult();
                return;
            }
            catch (VireoException e) when (e.Kind == ErrorKind.Unavailable && !stoppingToken.IsCancellationRequested)
            {
                LogLibvirtUnavailable(e.Message);
                await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Re-reads every idle instance's guest: events missed while libvirt was away are made up for.</summary>
    private async Task SyncAllAsync(CancellationToken stoppingToken)
    {
        foreach (var instance in await instances.ListAsync(includeDeleted: false, stoppingToken).ConfigureAwait(false))
        {
            await compute.ApplyPowerStateChangeAsync(
                new PowerStateChange(instance.Id, instance.PowerState, time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5400, EventName = "Reconciled", Level = LogLevel.Information, Message = "start-up reconciliation: {Done} action(s) done [{Actions}], {Failed} failed [{Failures}]")]
    private partial void LogReconciled(int done, string actions, int failed, string failures);

    [LoggerMessage(EventId = 5401, EventName = "LibvirtUnavailable", Level = LogLevel.Warning, Message = "{Message}; retrying")]
    private partial void LogLibvirtUnavailable(string message);

    [LoggerMessage(EventId = 5402, EventName = "PowerStateSyncFailed", Level = LogLevel.Warning, Message = "power state sync for instance {InstanceId} failed: {Message}")]
    private partial void LogEventFailed(Guid instanceId, string message);

    [LoggerMessage(EventId = 5403, EventName = "WatchFailed", Level = LogLevel.Error, Message = "following lifecycle events failed ({Type}: {Message}); restarting")]
    private partial void LogWatchFailed(string type, string message);
}

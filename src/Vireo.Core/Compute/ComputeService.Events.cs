using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    /// <summary>
    /// Brings an idle instance in line with its guest after a lifecycle event (a guest shut
    /// down from inside becomes <c>stopped</c>; a stopped instance's guest that runs is
    /// forced off; a vanished guest puts the instance in ERROR). The event is only a hint:
    /// the guest is read again, since events can arrive late. Instances with an operation
    /// in flight are skipped; the operation sets their final state.
    /// </summary>
    /// <returns>The instance as stored afterwards, or null when it was skipped.</returns>
    public async Task<Instance?> ApplyPowerStateChangeAsync(PowerStateChange change, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        Policy.Enforce(context, Policy.ServicePass);
        using var lease = _gates.TryEnter(change.InstanceId);
        if (lease is null)
        {
            return null;
        }

        var row = await _store.GetAsync(change.InstanceId, cancellationToken).ConfigureAwait(false);
        if (row is null || row.IsDeleted || row.TaskState is not null || row.VmState == VmState.Building)
        {
            return null;
        }

        var guest = await _hypervisor.GetGuestAsync(change.InstanceId, cancellationToken).ConfigureAwait(false);
        var actions = Reconciler.DecideFor(row, row.Id, guest, hasDirectory: true);
        var executor = new ReconcileExecutor(_store, _hypervisor, _disks, _time, _logger);
        foreach (var action in actions)
        {
            await executor.ExecuteAsync(action, cancellationToken).ConfigureAwait(false);
        }

        return await _store.GetAsync(change.InstanceId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows the hypervisor's lifecycle events until cancelled, applying each with
    /// <see cref="ApplyPowerStateChangeAsync"/>; a failure for one event is reported to
    /// <paramref name="onError"/> and the loop goes on.
    /// </summary>
    public async Task FollowPowerStateChangesAsync(Action<PowerStateChange, Exception>? onError, RequestContext context, CancellationToken cancellationToken)
    {
        Policy.Enforce(context, Policy.ServicePass);
        await foreach (var change in _hypervisor.WatchPowerStateAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ApplyPowerStateChangeAsync(change, context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (onError is null)
                {
                    CoreLog.PowerStateChangeFailed(_logger, change.InstanceId, exception.Message);
                }
                else
                {
                    onError(change, exception);
                }
            }
        }
    }

    /// <summary>
    /// Start-up reconciliation over this host (see <see cref="Reconciler"/>). Call it before
    /// accepting writes (<see cref="ServiceReadiness"/>): every build or task it finds is taken as
    /// interrupted. Each instance's repairs hold the instance's gate, as operations do.
    /// </summary>
    public Task<ReconcileReport> ReconcileAsync(RequestContext context, CancellationToken cancellationToken)
    {
        Policy.Enforce(context, Policy.ServicePass);
        return Runner().RunAsync(EnterGateAsync, cancellationToken);
    }

    /// <summary>
    /// The periodic pending-delete pass (Nova's <c>_run_pending_deletes</c>): removes what deleted
    /// rows still have (a guest, disks outside the directory, the directory), each under the
    /// instance's gate. Safe while operations run: live rows are not touched.
    /// </summary>
    public Task<ReconcileReport> RunPendingDeletesAsync(RequestContext context, CancellationToken cancellationToken)
    {
        Policy.Enforce(context, Policy.ServicePass);
        return Runner().RunPendingDeletesAsync(EnterGateAsync, cancellationToken);
    }

    private ReconcileRunner Runner() => new(_store, _hypervisor, _disks, _time, _options.Host, _options.InstallationId, _logger);

    private async Task<IDisposable> EnterGateAsync(Guid instanceId, CancellationToken cancellationToken) =>
        await _gates.EnterAsync(instanceId, cancellationToken).ConfigureAwait(false);
}

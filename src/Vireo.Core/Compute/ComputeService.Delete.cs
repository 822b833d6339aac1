using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    /// <summary>
    /// Marks the server deleting (allowed from every state and over every task, as in Nova),
    /// cancels whatever else runs on it, then in the background powers off and undefines
    /// its guest, removes its files and marks the row deleted. When its disks or files cannot all be
    /// removed the row is marked deleted all the same and the pending-delete pass
    /// (<see cref="RunPendingDeletesAsync"/>) retries them until they are gone. The row is kept with
    /// vm_state <c>deleted</c> (Nova's soft delete) so its actions stay readable; lookups
    /// treat it as gone. Delete has no undo: each step is idempotent, so deleting again, or
    /// start-up reconciliation, finishes an interrupted delete.
    /// </summary>
    public Task<ServerOperation> BeginDeleteServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken) =>
        OperationMetering.CountRefusalsAsync(ComputeOperation.Delete, _logger, () => AcceptDeleteAsync(serverRef, context, cancellationToken));

    private async Task<ServerOperation> AcceptDeleteAsync(string serverRef, RequestContext context, CancellationToken cancellationToken)
    {
        var instance = await FindLiveAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        if (_running.RunningDelete(instance.Id) is { } runningDelete)
        {
            return new ServerOperation(instance, runningDelete);
        }

        await _hypervisor.EnsureReachableAsync(cancellationToken).ConfigureAwait(false);

        var accepted = await AcceptAsync(instance.Id, ComputeOperation.Delete, cancellationToken).ConfigureAwait(false);

        // A build or power operation in flight stops at its next step and undoes itself;
        // the delete waits for that at the instance's gate.
        _running.CancelAllBut(accepted.Id, ComputeOperation.Delete);
        var requestId = context.RequestId;
        await RecordActionQuietlyAsync(accepted, InstanceActionNames.Delete, requestId).ConfigureAwait(false);
        var completion = _running.Start(accepted.Id, ComputeOperation.Delete, token => RunDeleteAsync(accepted, requestId, token));
        return new ServerOperation(accepted, completion);
    }

    /// <summary>Deletes a server and waits for the end; see <see cref="BeginDeleteServerAsync"/>.</summary>
    public async Task<Instance> DeleteServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken)
    {
        var operation = await BeginDeleteServerAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        return await operation.Completion.ConfigureAwait(false);
    }

    private async Task<Instance> RunDeleteAsync(Instance accepted, string requestId, CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterAsync(accepted.Id, CancellationToken.None).ConfigureAwait(false);
        var id = accepted.Id;
        var stage = "starting the delete";
        Instance deleted;
        Exception? leftover = null;
        try
        {
            var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null or { IsDeleted: true })
            {
                // Another delete finished while this one waited at the gate.
                await FinishActionQuietlyAsync(id, requestId, ActionResult.Success, "it was already deleted").ConfigureAwait(false);
                return current ?? accepted with { VmState = VmState.Deleted, TaskState = null };
            }

            _faults.Reached(FaultSteps.DeleteMarkedDeleting);

            stage = "powering off its guest";
            await _hypervisor.DestroyGuestAsync(id, cancellationToken).ConfigureAwait(false);
            _faults.Reached(FaultSteps.DeleteGuestDestroyed);

            stage = "undefining its guest";
            await _hypervisor.UndefineGuestAsync(id, cancellationToken).ConfigureAwait(false);
            _faults.Reached(FaultSteps.DeleteGuestUndefined);

            stage = "removing its files";
            try
            {
                await _disks.DeleteInstanceFilesAsync(id, cancellationToken).ConfigureAwait(false);
                _faults.Reached(FaultSteps.DeleteFilesRemoved);
            }
            catch (Exception failure) when (failure is VireoException or IOException or UnauthorizedAccessException)
            {
                // The guest is gone, so the server is: as Nova's pending deletes, the row says
                // deleted and the disks and files it names are removed by the next pass
                // (ReconcileRunner.RunPendingDeletesAsync), never left behind.
                leftover = failure;
            }

            stage = "marking it deleted";
            var now = Now;
            deleted = await UpdateLatestAsync(
                id,
                latest => latest with { VmState = VmState.Deleted, TaskState = null, PowerState = PowerState.NoState, TerminatedAt = now, UpdatedAt = now },
                cancellationToken).ConfigureAwait(false);
            _faults.Reached(FaultSteps.DeleteRowDeleted);
        }
        catch (Exception exception)
        {
            throw await FailDeleteAsync(accepted, requestId, stage, exception).ConfigureAwait(false);
        }

        if (leftover is not null)
        {
            var (kind, message) = Describe(leftover);
            var note = $"its disks or files could not all be removed ({message}); the pending-delete pass removes them";
            PendingDeleteLog.LeftForPendingPass(_logger, accepted.Label, id, message);
            await AddFaultQuietlyAsync(id, kind, note, leftover).ConfigureAwait(false);
            await FinishActionQuietlyAsync(id, requestId, ActionResult.Success, note).ConfigureAwait(false);
            return deleted;
        }

        await FinishActionQuietlyAsync(id, requestId, ActionResult.Success, message: null).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>A failed delete leaves the instance in ERROR with the reason (as Nova does); deleting again retries.</summary>
    private async Task<VireoException> FailDeleteAsync(Instance instance, string requestId, string stage, Exception exception)
    {
        var (kind, message) = Describe(exception);
        var reason = $"the delete failed while {stage}: {message}";
        Instance? latest = null;
        try
        {
            latest = await _store.GetAsync(instance.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception readFailure)
        {
            // The row stays deleting; start-up reconciliation finishes the delete.
            CoreLog.RowNotReadAfterFailure(_logger, "delete", instance.Id, readFailure.Message);
        }

        if (latest is { IsDeleted: false })
        {
            var power = await TryReadPowerAsync(instance.Id).ConfigureAwait(false) ?? latest.PowerState;
            try
            {
                await _store.UpdateAsync(
                    latest with { VmState = VmState.Error, TaskState = null, PowerState = power, FaultReason = reason, UpdatedAt = Now },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception updateFailure)
            {
                // As above.
                CoreLog.RowNotUpdatedAfterFailure(_logger, "delete", instance.Id, updateFailure.Message);
            }

            await AddFaultQuietlyAsync(instance.Id, kind, reason, exception).ConfigureAwait(false);
        }

        await FinishActionQuietlyAsync(instance.Id, requestId, ActionResult.Error, reason).ConfigureAwait(false);
        return new VireoException(kind, $"{instance.Label} could not be deleted: {reason}; delete it again to retry", exception);
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;

namespace Vireo.Core.Reconciliation;

/// <summary>A repair that failed; the instance's later repairs were skipped.</summary>
public sealed record ReconcileFailure(ReconcileAction Action, Exception Exception);

/// <summary>What a reconciliation did, and what it left alone.</summary>
/// <param name="Quarantined">Owned guests and directories with no row, left untouched (see <see cref="QuarantineOrphan"/>).</param>
/// <param name="NotOwned">Instance directories another installation or host made, or with no owner file: never touched.</param>
public sealed record ReconcileReport(
    IReadOnlyList<ReconcileAction> Done,
    IReadOnlyList<ReconcileFailure> Failed,
    IReadOnlyList<ReconcileAction> Skipped)
{
    public IReadOnlyList<Orphan> Quarantined { get; init; } = [];

    public IReadOnlyList<InstanceDirectoryEntry> NotOwned { get; init; } = [];

    public bool Succeeded => Failed.Count == 0;
}

/// <summary>
/// Carries out <see cref="ReconcileAction"/>s. Each one re-reads the row it changes. The
/// actions of one instance run in order and stop at its first failure (its row must not
/// be marked deleted while its guest is still defined); other instances carry on. A
/// <see cref="QuarantineOrphan"/> changes nothing: it is only reported. Each outcome is
/// counted (<see cref="VireoMetrics.RecordReconcile"/>) and logged.
/// </summary>
public sealed class ReconcileExecutor(IInstanceStore store, IHypervisor hypervisor, IInstanceDisks disks, TimeProvider time, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    private const string RestartNote = "finished by reconciliation after a restart";
    private const string InterruptedNote = "interrupted by a restart";

    public async Task<ReconcileReport> ExecuteAsync(IReadOnlyList<ReconcileAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var done = new List<ReconcileAction>();
        var failed = new List<ReconcileFailure>();
        var skipped = new List<ReconcileAction>();
        foreach (var instance in actions.Where(action => action is not QuarantineOrphan).GroupBy(action => action.InstanceId))
        {
            var broken = false;
            foreach (var action in instance)
            {
                if (broken)
                {
                    skipped.Add(action);
                    Counted(action, Skipped);
                    continue;
                }

                try
                {
                    await ExecuteAsync(action, cancellationToken).ConfigureAwait(false);
                    done.Add(action);
                    Counted(action, Done);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed.Add(new ReconcileFailure(action, exception));
                    broken = true;
                    Counted(action, Failed, exception);
                }
            }
        }

        return new ReconcileReport(done, failed, skipped);
    }

    /// <summary>The action tag of every kind of action (<see cref="MetricName"/>).</summary>
    public static IReadOnlyList<string> MetricActionNames { get; } = [.. ((ReconcileAction[])[
        new DestroyGuest(Guid.Empty), new RemoveDisks(Guid.Empty), new RemoveFiles(Guid.Empty), new MarkError(Guid.Empty, string.Empty), new MarkActive(Guid.Empty),
        new SettleTask(Guid.Empty, PowerState.NoState), new SyncPower(Guid.Empty, PowerState.NoState), new FinishDelete(Guid.Empty)]).Select(MetricName)];

    /// <summary>The action's tag in metrics: its kind in snake case (destroy_guest, finish_delete...).</summary>
    public static string MetricName(ReconcileAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var name = action.GetType().Name;
        var snake = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }

    private const string Done = "done";
    private const string Failed = "failed";
    private const string Skipped = "skipped";

    private void Counted(ReconcileAction action, string outcome, Exception? failure = null)
    {
        VireoMetrics.RecordReconcile(MetricName(action), outcome);
        switch (outcome)
        {
            case Failed:
                CoreLog.ReconcileActionFailed(_logger, action.ToString(), failure?.Message ?? string.Empty);
                break;
            case Skipped:
                CoreLog.ReconcileActionSkipped(_logger, action.ToString());
                break;
            default:
                CoreLog.ReconcileActionDone(_logger, action.ToString());
                break;
        }
    }

    public Task ExecuteAsync(ReconcileAction action, CancellationToken cancellationToken) => action switch
    {
        QuarantineOrphan => Task.CompletedTask,
        DestroyGuest destroy => DestroyGuestAsync(destroy.InstanceId, cancellationToken),
        RemoveDisks remove => disks.RemoveOutsideDisksAsync(remove.InstanceId, cancellationToken),
        RemoveFiles remove => disks.DeleteInstanceFilesAsync(remove.InstanceId, cancellationToken),
        MarkError error => MarkErrorAsync(error, cancellationToken),
        MarkActive active => MarkActiveAsync(active, cancellationToken),
        SettleTask settle => ApplyPowerDecisionAsync(settle.InstanceId, row => PowerStateSync.Settle(row, settle.Observed, time.GetUtcNow()), ActionResult.Error, InterruptedNote, cancellationToken),
        SyncPower sync => ApplyPowerDecisionAsync(sync.InstanceId, row => PowerStateSync.Decide(row, sync.Observed, time.GetUtcNow()), closeActionsWith: null, note: null, cancellationToken),
        FinishDelete finish => FinishDeleteAsync(finish, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown reconcile action"),
    };

    private async Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await hypervisor.DestroyGuestAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await hypervisor.UndefineGuestAsync(instanceId, cancellationToken).ConfigureAwait(false);
    }

    private async Task MarkErrorAsync(MarkError error, CancellationToken cancellationToken)
    {
        if (await LiveRowAsync(error.InstanceId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return;
        }

        var guest = await hypervisor.GetGuestAsync(error.InstanceId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await store.UpdateAsync(
            row with { VmState = VmState.Error, TaskState = null, PowerState = guest?.PowerState ?? PowerState.NoState, FaultReason = error.Reason, UpdatedAt = now },
            cancellationToken).ConfigureAwait(false);
        await store.AddFaultAsync(new InstanceFault(error.InstanceId, ErrorKinds.HttpStatus(ErrorKind.Failed), error.Reason, now), cancellationToken).ConfigureAwait(false);
        await CloseOpenActionsAsync(error.InstanceId, ActionResult.Error, $"{InterruptedNote}: {error.Reason}", cancellationToken).ConfigureAwait(false);
    }

    private async Task MarkActiveAsync(MarkActive active, CancellationToken cancellationToken)
    {
        if (await LiveRowAsync(active.InstanceId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return;
        }

        var now = time.GetUtcNow();
        await store.UpdateAsync(
            row with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running, FaultReason = null, LaunchedAt = row.LaunchedAt ?? now, UpdatedAt = now },
            cancellationToken).ConfigureAwait(false);
        await CloseOpenActionsAsync(active.InstanceId, ActionResult.Success, RestartNote, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyPowerDecisionAsync(
        Guid instanceId, Func<Instance, PowerSyncDecision> decide, ActionResult? closeActionsWith, string? note, CancellationToken cancellationToken)
    {
        if (await LiveRowAsync(instanceId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return;
        }

        var decision = decide(row);
        if (!decision.Changed)
        {
            return;
        }

        if (decision.ForceOffGuest)
        {
            await hypervisor.DestroyGuestAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }

        await store.UpdateAsync(decision.Updated, cancellationToken).ConfigureAwait(false);
        if (closeActionsWith is { } result)
        {
            await CloseOpenActionsAsync(instanceId, result, note, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinishDeleteAsync(FinishDelete finish, CancellationToken cancellationToken)
    {
        if (await LiveRowAsync(finish.InstanceId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return;
        }

        var now = time.GetUtcNow();
        await store.UpdateAsync(
            row with { VmState = VmState.Deleted, TaskState = null, PowerState = PowerState.NoState, TerminatedAt = now, UpdatedAt = now },
            cancellationToken).ConfigureAwait(false);
        await CloseOpenActionsAsync(finish.InstanceId, ActionResult.Success, RestartNote, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Instance?> LiveRowAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return row is { IsDeleted: false } ? row : null;
    }

    private async Task CloseOpenActionsAsync(Guid instanceId, ActionResult result, string? message, CancellationToken cancellationToken)
    {
        var actions = await store.ListActionsAsync(instanceId, cancellationToken).ConfigureAwait(false);
        foreach (var open in actions.Where(action => action.FinishedAt is null))
        {
            await store.FinishActionAsync(instanceId, open.RequestId, time.GetUtcNow(), result, message, cancellationToken).ConfigureAwait(false);
        }
    }
}

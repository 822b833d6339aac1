using Microsoft.Extensions.Logging;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;

namespace Vireo.Core.Reconciliation;

/// <summary>
/// Start-up reconciliation: reads the facts (the live rows, this installation's guests, the
/// instance directories with their owners, and the deleted rows of ids that still have a
/// guest or directory), decides with <see cref="Reconciler"/> and repairs with
/// <see cref="ReconcileExecutor"/>. Run it before accepting writes: it treats every build
/// and task it finds as interrupted.
/// </summary>
public sealed class ReconcileRunner(
    IInstanceStore store, IHypervisor hypervisor, IInstanceDisks disks, TimeProvider time, string host, string installationId, ILogger? logger = null)
{
    public async Task<ReconcileFacts> ReadFactsAsync(CancellationToken cancellationToken)
    {
        var instances = (await store.ListAsync(includeDeleted: false, cancellationToken).ConfigureAwait(false)).ToList();
        var guests = await hypervisor.ListOwnedGuestsAsync(cancellationToken).ConfigureAwait(false);
        var directories = await disks.ListInstanceDirectoriesAsync(cancellationToken).ConfigureAwait(false);
        var outside = await ListOutsideDisksAsync(cancellationToken).ConfigureAwait(false);

        // A deleted row is the proof that lets a leftover guest, directory or outside disk go;
        // without it the leftover would look like an orphan.
        var known = instances.Select(instance => instance.Id).ToHashSet();
        var leftovers = guests.Select(guest => guest.InstanceId)
            .Concat(directories.Select(directory => directory.InstanceId))
            .Concat(outside.Select(disk => disk.InstanceId));
        foreach (var id in leftovers.Distinct())
        {
            if (!known.Contains(id) && await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } row)
            {
                instances.Add(row);
                known.Add(id);
            }
        }

        return new ReconcileFacts(host, installationId, instances, guests, directories) { OutsideDisks = outside };
    }

    /// <summary>
    /// The outside disks, or none when the backend's store cannot be listed (the Ceph cluster or
    /// volume group unreachable): guests and directories are still reconciled, no outside disk is
    /// decided on, and the next pass lists them again.
    /// </summary>
    private async Task<IReadOnlyList<OutsideDisk>> ListOutsideDisksAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await disks.ListOutsideDisksAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException exception) when (exception.Kind is ErrorKind.Unavailable or ErrorKind.Failed or ErrorKind.Configuration)
        {
            PendingDeleteLog.OutsideDisksNotListed(logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, exception.Message);
            return [];
        }
    }

    /// <param name="enterGate">
    /// Enters the instance's gate (the one operations hold). Each instance's repairs run inside
    /// it, decided again from its row and guest as they are then, so an operation that ran on the
    /// instance after the facts were read is never undone by stale facts.
    /// </param>
    public async Task<ReconcileReport> RunAsync(Func<Guid, CancellationToken, Task<IDisposable>>? enterGate, CancellationToken cancellationToken)
    {
        var facts = await ReadFactsAsync(cancellationToken).ConfigureAwait(false);
        var report = await ExecuteAsync(Reconciler.Decide(facts), facts, enterGate, onlyDeleted: false, cancellationToken).ConfigureAwait(false);
        Record(report);
        return report;
    }

    /// <summary>
    /// The periodic pass (Nova's <c>_run_pending_deletes</c>): finishes the deletes whose guest,
    /// outside disks or files could not all be removed (<see cref="Reconciler.DecidePendingDeletes"/>),
    /// each under the instance's gate and only while its row still says deleted. Live rows and
    /// orphans are not touched.
    /// </summary>
    public async Task<ReconcileReport> RunPendingDeletesAsync(Func<Guid, CancellationToken, Task<IDisposable>>? enterGate, CancellationToken cancellationToken)
    {
        var facts = await ReadFactsAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(Reconciler.DecidePendingDeletes(facts), facts, enterGate, onlyDeleted: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ReconcileReport> ExecuteAsync(
        IReadOnlyList<ReconcileAction> actions, ReconcileFacts facts, Func<Guid, CancellationToken, Task<IDisposable>>? enterGate, bool onlyDeleted, CancellationToken cancellationToken)
    {
        var executor = new ReconcileExecutor(store, hypervisor, disks, time, logger);
        var done = new List<ReconcileAction>();
        var failed = new List<ReconcileFailure>();
        var skipped = new List<ReconcileAction>();
        foreach (var id in actions.Where(action => action is not QuarantineOrphan).Select(action => action.InstanceId).Distinct())
        {
            using var lease = enterGate is null ? null : await enterGate(id, cancellationToken).ConfigureAwait(false);
            var current = await DecideAgainAsync(id, facts, onlyDeleted, cancellationToken).ConfigureAwait(false);
            var part = await executor.ExecuteAsync(current, cancellationToken).ConfigureAwait(false);
            done.AddRange(part.Done);
            failed.AddRange(part.Failed);
            skipped.AddRange(part.Skipped);
        }

        return new ReconcileReport(done, failed, skipped)
        {
            Quarantined = [.. actions.OfType<QuarantineOrphan>().Select(orphan => Orphan.Of(orphan, facts))],
            NotOwned = Reconciler.NotOwned(facts),
        };
    }

    public Task<ReconcileReport> RunAsync(CancellationToken cancellationToken) => RunAsync(enterGate: null, cancellationToken);

    /// <summary>The instance's repairs from its row and guest as they are now; its directory and outside disks are as listed.</summary>
    private async Task<IReadOnlyList<ReconcileAction>> DecideAgainAsync(Guid id, ReconcileFacts facts, bool onlyDeleted, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null || !string.Equals(row.Host, host, StringComparison.Ordinal) || (onlyDeleted && !row.IsDeleted))
        {
            return [];
        }

        var guest = await hypervisor.GetGuestAsync(id, cancellationToken).ConfigureAwait(false);
        var hasDirectory = facts.InstanceDirectories.Any(directory => directory.InstanceId == id && facts.Owns(directory));
        var hasDisks = facts.OutsideDisks.Any(disk => disk.InstanceId == id);
        return Reconciler.DecideFor(row, id, guest, hasDirectory, hasDisks);
    }

    private static void Record(ReconcileReport report)
    {
        foreach (var orphan in report.Quarantined)
        {
            if (orphan.Kind is OrphanKind.Guest or OrphanKind.Both)
            {
                VireoMetrics.RecordReconcile(ReconcileExecutor.MetricName(new DestroyGuest(orphan.InstanceId)), "quarantined");
            }

            if (orphan.Kind is OrphanKind.Directory or OrphanKind.Both)
            {
                VireoMetrics.RecordReconcile(ReconcileExecutor.MetricName(new RemoveFiles(orphan.InstanceId)), "quarantined");
            }

            if (orphan.Disks.Count > 0)
            {
                VireoMetrics.RecordReconcile(ReconcileExecutor.MetricName(new RemoveDisks(orphan.InstanceId)), "quarantined");
            }
        }

        VireoMetrics.SetQuarantinedOrphans(report.Quarantined.Count);
    }
}

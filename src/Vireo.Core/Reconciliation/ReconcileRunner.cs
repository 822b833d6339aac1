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

        // A deleted row is the proof that lets a leftover guest or directory go; without it the
        // leftover would look like an orphan.
        var known = instances.Select(instance => instance.Id).ToHashSet();
        foreach (var id in guests.Select(guest => guest.InstanceId).Concat(directories.Select(directory => directory.InstanceId)).Distinct())
        {
            if (!known.Contains(id) && await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } row)
            {
                instances.Add(row);
                known.Add(id);
            }
        }

        return new ReconcileFacts(host, installationId, instances, guests, directories);
    }

    /// <param name="enterGate">
    /// Enters the instance's gate (the one operations hold). Each instance's repairs run inside
    /// it, decided again from its row and guest as they are then, so an operation that ran on the
    /// instance after the facts were read is never undone by stale facts.
    /// </param>
    public async Task<ReconcileReport> RunAsync(Func<Guid, CancellationToken, Task<IDisposable>>? enterGate, CancellationToken cancellationToken)
    {
        var facts = await ReadFactsAsync(cancellationToken).ConfigureAwait(false);
        var actions = Reconciler.Decide(facts);
        var executor = new ReconcileExecutor(store, hypervisor, disks, time, logger);
        var done = new List<ReconcileAction>();
        var failed = new List<ReconcileFailure>();
        var skipped = new List<ReconcileAction>();
        foreach (var id in actions.Where(action => action is not QuarantineOrphan).Select(action => action.InstanceId).Distinct())
        {
            using var lease = enterGate is null ? null : await enterGate(id, cancellationToken).ConfigureAwait(false);
            var current = await DecideAgainAsync(id, facts, cancellationToken).ConfigureAwait(false);
            var part = await executor.ExecuteAsync(current, cancellationToken).ConfigureAwait(false);
            done.AddRange(part.Done);
            failed.AddRange(part.Failed);
            skipped.AddRange(part.Skipped);
        }

        var report = new ReconcileReport(done, failed, skipped)
        {
            Quarantined = [.. actions.OfType<QuarantineOrphan>().Select(orphan => Orphan.Of(orphan, facts))],
            NotOwned = Reconciler.NotOwned(facts),
        };
        Record(report);
        return report;
    }

    public Task<ReconcileReport> RunAsync(CancellationToken cancellationToken) => RunAsync(enterGate: null, cancellationToken);

    /// <summary>The instance's repairs from its row and guest as they are now; its directory is as listed.</summary>
    private async Task<IReadOnlyList<ReconcileAction>> DecideAgainAsync(Guid id, ReconcileFacts facts, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null || !string.Equals(row.Host, host, StringComparison.Ordinal))
        {
            return [];
        }

        var guest = await hypervisor.GetGuestAsync(id, cancellationToken).ConfigureAwait(false);
        var hasDirectory = facts.InstanceDirectories.Any(directory => directory.InstanceId == id && facts.Owns(directory));
        return Reconciler.DecideFor(row, id, guest, hasDirectory);
    }

    private static void Record(ReconcileReport report)
    {
        foreach (var orphan in report.Quarantined)
        {
            if (orphan.Kind != OrphanKind.Directory)
            {
                VireoMetrics.RecordReconcile(ReconcileExecutor.MetricName(new DestroyGuest(orphan.InstanceId)), "quarantined");
            }

            if (orphan.Kind != OrphanKind.Guest)
            {
                VireoMetrics.RecordReconcile(ReconcileExecutor.MetricName(new RemoveFiles(orphan.InstanceId)), "quarantined");
            }
        }

        VireoMetrics.SetQuarantinedOrphans(report.Quarantined.Count);
    }
}

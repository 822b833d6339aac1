using System.Globalization;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    /// <summary>The orphans reconciliation quarantines now (read afresh), ordered by id; also sets the quarantined-orphans gauge. Admins only.</summary>
    public async Task<IReadOnlyList<Orphan>> ListOrphansAsync(RequestContext context, CancellationToken cancellationToken)
    {
        Policy.Enforce(context, Policy.Orphans);
        var facts = await Runner().ReadFactsAsync(cancellationToken).ConfigureAwait(false);
        var orphans = Reconciler.Decide(facts).OfType<QuarantineOrphan>()
            .Select(orphan => Orphan.Of(orphan, facts))
            .ToList();
        VireoMetrics.SetQuarantinedOrphans(orphans.Count);
        return orphans;
    }

    /// <summary>
    /// Removes exactly one orphan: destroys and undefines its guest, removes its disks outside the
    /// directory (RBD images, logical volumes named after it) and its directory. The
    /// facts are read again under the instance's gate first, so only what is an orphan at that
    /// moment goes.
    /// </summary>
    /// <exception cref="VireoException">
    /// InvalidInput for an id that is not a uuid; NotFound when the id is not an orphan now;
    /// Conflict when the id has a row (delete the server instead); Forbidden for a caller who is not an admin.
    /// </exception>
    public async Task<Orphan> PurgeOrphanAsync(string orphanId, RequestContext context, CancellationToken cancellationToken)
    {
        Policy.Enforce(context, Policy.Orphans);
        if (!Guid.TryParse(orphanId, out var id))
        {
            throw VireoException.InvalidInput($"orphan id '{orphanId}' is not a uuid; run `vireo host orphans` to see the orphans' ids");
        }

        Orphan purged;
        using (await _gates.EnterAsync(id, cancellationToken).ConfigureAwait(false))
        {
            if (await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } row)
            {
                throw VireoException.Conflict(string.Create(CultureInfo.InvariantCulture,
                    $"instance {id} has a database row ({(row.IsDeleted ? "deleted" : row.VmState.ToNova())}), so it is not an orphan; delete the server instead, or restart the service to let reconciliation finish a deleted one"));
            }

            var guest = await _hypervisor.GetGuestAsync(id, cancellationToken).ConfigureAwait(false);
            var directories = await _disks.ListInstanceDirectoriesAsync(cancellationToken).ConfigureAwait(false);
            var outside = await _disks.ListOutsideDisksAsync(cancellationToken).ConfigureAwait(false);
            var facts = new ReconcileFacts(_options.Host, _options.InstallationId, [], guest is null ? [] : [guest], [.. directories.Where(directory => directory.InstanceId == id)])
            {
                OutsideDisks = [.. outside.Where(disk => disk.InstanceId == id)],
            };
            if (Reconciler.Decide(facts).OfType<QuarantineOrphan>().SingleOrDefault() is not { } orphan)
            {
                throw VireoException.NotFound($"'{id}' is not an orphan of this installation on {_options.Host}; run `vireo host orphans` to see the orphans");
            }

            purged = Orphan.Of(orphan, facts);
            if (orphan.HasGuest)
            {
                await _hypervisor.DestroyGuestAsync(id, cancellationToken).ConfigureAwait(false);
                await _hypervisor.UndefineGuestAsync(id, cancellationToken).ConfigureAwait(false);
            }

            if (orphan.HasDisks)
            {
                await _disks.RemoveOutsideDisksAsync(id, cancellationToken).ConfigureAwait(false);
                PendingDeleteLog.OrphanDisksPurged(_logger, id, string.Join(", ", purged.Disks.Select(disk => disk.Name)));
            }

            if (orphan.HasDirectory)
            {
                await _disks.DeleteInstanceFilesAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }

        await ListOrphansAsync(context, cancellationToken).ConfigureAwait(false);
        return purged;
    }

}

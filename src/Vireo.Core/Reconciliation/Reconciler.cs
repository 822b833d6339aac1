using Vireo.Core.Ports;

namespace Vireo.Core.Reconciliation;

/// <summary>
/// The pure start-up decision: compares rows with the owned guests and the owned instance
/// directories and lists the repairs, per instance in the order they must run (guest,
/// then files, then row), so that afterwards no instance is in BUILD or deleting, and no
/// idle row claims a guest that is gone. It proves before it destroys: only a row that says
/// deleted, deleting or building lets it remove a guest or files; what has no row is quarantined.
/// <list type="table">
/// <listheader><term>row</term><description>repair</description></listheader>
/// <item><term>none</term><description>quarantine: leave guest, files and outside disks untouched, report them as an orphan</description></item>
/// <item><term>deleted</term><description>destroy the guest, remove the outside disks, remove the files (a delete whose disk removal failed is retried here)</description></item>
/// <item><term>task deleting</term><description>destroy the guest, remove the outside disks, remove the files, finish the delete</description></item>
/// <item><term>building, guest running</term><description>ACTIVE: the build had only its last bookkeeping left</description></item>
/// <item><term>building, otherwise</term><description>destroy the guest, remove the outside disks and the files, ERROR "the service stopped while building it"</description></item>
/// <item><term>power task, guest present</term><description>settle: clear the task, vm_state from the guest</description></item>
/// <item><term>not ERROR, guest gone</term><description>ERROR "its guest disappeared"</description></item>
/// <item><term>idle, guest disagrees</term><description>sync the power state (<see cref="PowerStateSync"/>)</description></item>
/// </list>
/// ERROR rows keep their files: the user deletes them, and a failed stop's disk is still needed.
/// A row of another host is left alone, and so are its guest and files here (a migration's).
/// A directory counts only when its owner file names this installation and host; any other
/// directory (another owner's, or one without an owner file) is never touched.
/// </summary>
public static class Reconciler
{
    public const string BuildInterrupted = "the service stopped while building it; delete it and create it again";

    private static readonly HashSet<TaskState> BuildTasks =
        [TaskState.Scheduling, TaskState.BlockDeviceMapping, TaskState.Networking, TaskState.Spawning];

    public static string GuestDisappeared(VmState vmState) =>
        $"its guest disappeared while it was {vmState.ToNova()}; delete it and create it again";

    /// <summary>Every repair for every instance, ordered by instance id.</summary>
    public static IReadOnlyList<ReconcileAction> Decide(ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var rows = facts.Instances.GroupBy(instance => instance.Id).ToDictionary(group => group.Key, group => group.First());
        var guests = facts.Guests.GroupBy(guest => guest.InstanceId).ToDictionary(group => group.Key, group => group.First());
        var directories = facts.InstanceDirectories.Where(facts.Owns).Select(directory => directory.InstanceId).ToHashSet();
        var disks = facts.OutsideDisks.Select(disk => disk.InstanceId).ToHashSet();
        var live = rows.Values.Where(instance => !instance.IsDeleted).Select(instance => instance.Id);
        var ids = live.Concat(guests.Keys).Concat(directories).Concat(disks).Distinct().Order();
        return [.. ids
            .Where(id => rows.GetValueOrDefault(id) is not { } row || string.Equals(row.Host, facts.Host, StringComparison.Ordinal))
            .SelectMany(id => DecideFor(rows.GetValueOrDefault(id), id, guests.GetValueOrDefault(id), directories.Contains(id), disks.Contains(id)))];
    }

    /// <summary>
    /// The periodic pass's part of the table (Nova's <c>_run_pending_deletes</c>): only the rows
    /// that say deleted and still have a guest, an owned directory or outside disks. Live rows are
    /// left to start-up reconciliation, since a build or task in flight is not interrupted.
    /// </summary>
    public static IReadOnlyList<ReconcileAction> DecidePendingDeletes(ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var deleted = facts.Instances.Where(instance => instance.IsDeleted).Select(instance => instance.Id).ToHashSet();
        return [.. Decide(facts).Where(action => deleted.Contains(action.InstanceId))];
    }

    /// <summary>The directories reconciliation leaves alone because this installation on this host did not make them.</summary>
    public static IReadOnlyList<InstanceDirectoryEntry> NotOwned(ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return [.. facts.InstanceDirectories.Where(directory => !facts.Owns(directory)).OrderBy(directory => directory.InstanceId)];
    }

    /// <summary>The repairs for one instance (row may be null: a guest, owned directory or outside disks without a row).</summary>
    /// <param name="hasDisks">Disks named after the id outside any instance directory (RBD images, logical volumes).</param>
    public static IReadOnlyList<ReconcileAction> DecideFor(Instance? row, Guid instanceId, GuestInfo? guest, bool hasDirectory, bool hasDisks = false)
    {
        var actions = new List<ReconcileAction>();
        void CleanUp()
        {
            if (guest is not null)
            {
                actions.Add(new DestroyGuest(instanceId));
            }

            // Before the directory: while the disks are there, the directory stays as well.
            if (hasDisks)
            {
                actions.Add(new RemoveDisks(instanceId));
            }

            if (hasDirectory)
            {
                actions.Add(new RemoveFiles(instanceId));
            }
        }

        if (row is null)
        {
            if (guest is not null || hasDirectory || hasDisks)
            {
                actions.Add(new QuarantineOrphan(instanceId, guest is not null, hasDirectory, hasDisks));
            }

            return actions;
        }

        if (row.IsDeleted)
        {
            CleanUp();
            return actions;
        }

        if (row.TaskState == TaskState.Deleting)
        {
            CleanUp();
            actions.Add(new FinishDelete(instanceId));
            return actions;
        }

        if (row.VmState == VmState.Building || row.TaskState is { } task && BuildTasks.Contains(task))
        {
            // Starting the guest is the build's last step before the row says ACTIVE, so a
            // running guest is a complete server; anything less is undone.
            if (guest?.PowerState == PowerState.Running)
            {
                actions.Add(new MarkActive(instanceId));
            }
            else
            {
                CleanUp();
                actions.Add(new MarkError(instanceId, BuildInterrupted));
            }

            return actions;
        }

        if (guest is null)
        {
            if (row.VmState != VmState.Error || row.TaskState is not null)
            {
                actions.Add(new MarkError(instanceId, GuestDisappeared(row.VmState)));
            }
            else if (row.PowerState != PowerState.NoState)
            {
                actions.Add(new SyncPower(instanceId, PowerState.NoState));
            }

            return actions;
        }

        if (row.TaskState is not null)
        {
            actions.Add(new SettleTask(instanceId, guest.PowerState));
        }
        else if (PowerStateSync.Decide(row, guest.PowerState, row.UpdatedAt).Changed)
        {
            actions.Add(new SyncPower(instanceId, guest.PowerState));
        }

        return actions;
    }
}

namespace Vireo.Core.Reconciliation;

/// <summary>One repair the reconciler decided on, as data; <see cref="ReconcileExecutor"/> carries it out.</summary>
public abstract record ReconcileAction(Guid InstanceId);

/// <summary>Power off and undefine the guest: its row says deleted, or its build or delete was interrupted.</summary>
public sealed record DestroyGuest(Guid InstanceId) : ReconcileAction(InstanceId);

/// <summary>Remove the instance directory (one this installation made): its row says deleted, or its build or delete was interrupted.</summary>
public sealed record RemoveFiles(Guid InstanceId) : ReconcileAction(InstanceId);

/// <summary>
/// Remove the instance's disks outside its directory (RBD images, logical volumes): its row says
/// deleted, or its build or delete was interrupted. A delete whose disk removal failed leaves the
/// row deleted and the disks in place; this is how the next pass retries it.
/// </summary>
public sealed record RemoveDisks(Guid InstanceId) : ReconcileAction(InstanceId);

/// <summary>Put the instance into ERROR with the reason, close its open actions as failed.</summary>
public sealed record MarkError(Guid InstanceId, string Reason) : ReconcileAction(InstanceId);

/// <summary>A build interrupted after its guest started: nothing but bookkeeping was left, so it is ACTIVE.</summary>
public sealed record MarkActive(Guid InstanceId) : ReconcileAction(InstanceId);

/// <summary>A start, stop or reboot was interrupted: clear the task, take vm_state from the guest.</summary>
public sealed record SettleTask(Guid InstanceId, PowerState Observed) : ReconcileAction(InstanceId);

/// <summary>An idle instance disagrees with its guest: apply <see cref="PowerStateSync.Decide"/>.</summary>
public sealed record SyncPower(Guid InstanceId, PowerState Observed) : ReconcileAction(InstanceId);

/// <summary>A delete was interrupted after it was accepted: mark the row deleted (guest and files go first).</summary>
public sealed record FinishDelete(Guid InstanceId) : ReconcileAction(InstanceId);

/// <summary>
/// An owned guest or owned instance directory with no row at all: nothing proves it may go
/// (an empty or restored database, a shared instances_path), so it is left untouched and
/// reported; an operator removes it with <c>vireo host orphans --purge ID</c>.
/// </summary>
/// <param name="HasDisks">Disks named after the id outside any instance directory (RBD images, logical volumes).</param>
public sealed record QuarantineOrphan(Guid InstanceId, bool HasGuest, bool HasDirectory, bool HasDisks = false) : ReconcileAction(InstanceId)
{
    public OrphanKind Kind => (HasGuest, HasDirectory) switch
    {
        (true, true) => OrphanKind.Both,
        (true, false) => OrphanKind.Guest,
        (false, true) => OrphanKind.Directory,
        _ => OrphanKind.Disks,
    };
}

/// <summary>What an orphan consists of.</summary>
public enum OrphanKind
{
    Guest,
    Directory,
    Both,

    /// <summary>Only disks outside any instance directory (RBD images, logical volumes), listed in <see cref="Orphan.Disks"/>.</summary>
    Disks,
}

/// <summary>What reconciliation looks at: the rows, this installation's guests and the instance directories.</summary>
/// <param name="Host">This host; rows of other hosts are never repaired here, nor their guests or files removed.</param>
/// <param name="InstallationId">This installation; only directories whose owner file names it and <paramref name="Host"/> are ever removed.</param>
/// <param name="Instances">The live rows, and the deleted rows of the ids that still have a guest, directory or outside disk.</param>
public sealed record ReconcileFacts(
    string Host,
    string InstallationId,
    IReadOnlyList<Instance> Instances,
    IReadOnlyList<Ports.GuestInfo> Guests,
    IReadOnlyCollection<Ports.InstanceDirectoryEntry> InstanceDirectories)
{
    /// <summary>The disks the image backend holds outside instance directories, named after instance ids (none for the file backends).</summary>
    public IReadOnlyList<Ports.OutsideDisk> OutsideDisks { get; init; } = [];


    /// <summary>True when this installation on this host made the directory.</summary>
    public bool Owns(Ports.InstanceDirectoryEntry directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return directory.Owner is { } owner && owner.Is(InstallationId, Host, directory.InstanceId);
    }
}

namespace Vireo.Core.Reconciliation;

/// <summary>One repair the reconciler decided on, as data; <see cref="ReconcileExecutor"/> carries it out.</summary>
public abstract record ReconcileAction(Guid InstanceId);

/// <summary>Power off and undefine the guest: it has no row, or its build or delete was interrupted.</summary>
public sealed record DestroyGuest(Guid InstanceId) : ReconcileAction(InstanceId);

/// <summary>Remove the instance directory: it has no row, or its build or delete was interrupted.</summary>
public sealed record RemoveFiles(Guid InstanceId) : ReconcileAction(InstanceId);

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

/// <summary>What reconciliation looks at: the rows, this host's owned guests and instance directories.</summary>
/// <param name="Host">This host; rows of other hosts are never repaired here, nor their guests or files removed.</param>
public sealed record ReconcileFacts(
    string Host,
    IReadOnlyList<Instance> Instances,
    IReadOnlyList<Ports.GuestInfo> Guests,
    IReadOnlyCollection<Guid> InstanceDirectories);

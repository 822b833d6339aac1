namespace Vireo.Core.Ports;

/// <summary>
/// Where instances, their actions and their faults are kept. Deleted instances are kept
/// as rows with vm_state <c>deleted</c> (Nova soft-deletes), so their history stays.
/// </summary>
public interface IInstanceStore
{
    /// <summary>
    /// Adds a new instance. Throws <see cref="ErrorKind.Conflict"/> when its id exists or its
    /// name is taken by an instance that is not deleted.
    /// </summary>
    Task AddAsync(Instance instance, CancellationToken cancellationToken);

    /// <summary>The instance with this id, deleted ones included; null when there is none.</summary>
    Task<Instance?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The instance that is not deleted and has exactly this name; null when there is none.</summary>
    Task<Instance?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Instances, newest first (as Nova lists them); deleted ones only when asked.</summary>
    Task<IReadOnlyList<Instance>> ListAsync(bool includeDeleted, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row when its stored revision equals <see cref="Instance.Revision"/> and
    /// returns the instance with the next revision. Throws <see cref="ErrorKind.Conflict"/>
    /// when the row changed since it was read, <see cref="ErrorKind.NotFound"/> when it is gone.
    /// </summary>
    Task<Instance> UpdateAsync(Instance instance, CancellationToken cancellationToken);

    Task AddActionAsync(InstanceAction action, CancellationToken cancellationToken);

    /// <summary>Sets the finish time, result and message of the action started by this request.</summary>
    Task FinishActionAsync(Guid instanceId, string requestId, DateTimeOffset finishedAt, ActionResult result, string? message, CancellationToken cancellationToken);

    /// <summary>The instance's actions, oldest first.</summary>
    Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken);

    Task AddFaultAsync(InstanceFault fault, CancellationToken cancellationToken);

    /// <summary>The instance's faults, newest first.</summary>
    Task<IReadOnlyList<InstanceFault>> ListFaultsAsync(Guid instanceId, CancellationToken cancellationToken);
}

namespace Vireo.Core.Ports;

/// <summary>
/// Where instances, their actions and their faults are kept. Deleted instances are kept
/// as rows with vm_state <c>deleted</c> (Nova soft-deletes), so their history stays.
/// </summary>
public interface IInstanceStore
{
    /// <summary>
    /// Adds a new instance. Throws <see cref="ErrorKind.Conflict"/> when its id exists. Names are not
    /// unique (as in Nova): servers are addressed by id.
    /// </summary>
    Task AddAsync(Instance instance, CancellationToken cancellationToken);

    /// <summary>The instance with this id, deleted ones included; null when there is none.</summary>
    Task<Instance?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Live instances as <paramref name="query"/> asks: one project's (or all), sorted, after a marker,
    /// limited, all done by the store (<see cref="InstanceQuery.Apply"/> defines the answer).
    /// </summary>
    Task<IReadOnlyList<Instance>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken);

    /// <summary>Instances of every project, newest first (as Nova lists them); deleted ones only when asked. For the service's own passes.</summary>
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

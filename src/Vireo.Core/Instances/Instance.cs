namespace Vireo.Core;

/// <summary>
/// A server as the user owns it (Nova's <c>instances</c> row). The three state fields are
/// separate on purpose: <see cref="VmState"/> is what the user expects, <see cref="TaskState"/>
/// the operation in flight, <see cref="PowerState"/> what the hypervisor last reported.
/// </summary>
/// <param name="EffectiveCpu">
/// The guest CPU read from the running guest at its last boot (create, start, hard reboot);
/// null when it was never recorded (rows older than the record, or a read that failed).
/// </param>
/// <param name="Revision">
/// Optimistic-concurrency token: a store updates the row only when the stored revision
/// equals this one, and returns the instance with the next revision.
/// </param>
public sealed record Instance(
    Guid Id,
    string Name,
    Guid ImageId,
    string FlavorId,
    VmState VmState,
    TaskState? TaskState,
    PowerState PowerState,
    string? FaultReason,
    string Host,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LaunchedAt = null,
    DateTimeOffset? TerminatedAt = null,
    long Revision = 0,
    EffectiveGuestCpu? EffectiveCpu = null)
{
    /// <summary>The project that owns the server (Nova's <c>project_id</c>, shown as <c>tenant_id</c>): the creating caller's.</summary>
    public string ProjectId { get; init; } = Tenancy.Owners.DefaultProjectId;

    /// <summary>The user that created the server (Nova's <c>user_id</c>).</summary>
    public string UserId { get; init; } = Tenancy.Owners.ServiceUserId;

    public string Status => ServerStatus.For(VmState, TaskState);

    public bool IsDeleted => VmState == VmState.Deleted;

    /// <summary>"server 'web1'": how messages name an instance.</summary>
    public string Label => $"server '{Name}'";
}

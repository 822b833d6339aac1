namespace Vireo.Core;

/// <summary>
/// When an operation may run and what it does to the state fields.
/// </summary>
/// <param name="AllowedVmStates">vm_states the operation accepts.</param>
/// <param name="AllowedTasks">task_states the operation may take over besides idle (no task).</param>
/// <param name="Task">The task_state while the operation runs.</param>
/// <param name="VmStateOnSuccess">The vm_state when it succeeds.</param>
/// <param name="PowerStateOnSuccess">The power_state recorded when it succeeds.</param>
public sealed record TransitionRule(
    ComputeOperation Operation,
    IReadOnlySet<VmState> AllowedVmStates,
    IReadOnlySet<TaskState> AllowedTasks,
    TaskState Task,
    VmState VmStateOnSuccess,
    PowerState PowerStateOnSuccess);

/// <summary>
/// The transition table, as data, after Nova's <c>ALLOW_*</c> lists (<c>vm_states.py</c>)
/// and the <c>check_instance_state</c> decorators of <c>compute/api.py</c>.
/// </summary>
public static class Transitions
{
    private static readonly HashSet<TaskState> OnlyIdle = [];

    // Nova lets a hard reboot take over a soft reboot that hangs (compute/api.py reboot).
    private static readonly HashSet<TaskState> SoftRebootTasks =
        [TaskState.Rebooting, TaskState.RebootPending, TaskState.RebootStarted];

    private static readonly Dictionary<ComputeOperation, TransitionRule> Rules = new()
    {
        [ComputeOperation.Start] = new(
            ComputeOperation.Start,
            new HashSet<VmState> { VmState.Stopped },
            OnlyIdle,
            TaskState.PoweringOn,
            VmState.Active,
            PowerState.Running),
        [ComputeOperation.Stop] = new(
            ComputeOperation.Stop,
            new HashSet<VmState> { VmState.Active, VmState.Error },
            OnlyIdle,
            TaskState.PoweringOff,
            VmState.Stopped,
            PowerState.Shutdown),

        // ALLOW_SOFT_REBOOT = [ACTIVE]
        [ComputeOperation.RebootSoft] = new(
            ComputeOperation.RebootSoft,
            new HashSet<VmState> { VmState.Active },
            OnlyIdle,
            TaskState.Rebooting,
            VmState.Active,
            PowerState.Running),

        // ALLOW_HARD_REBOOT = ALLOW_SOFT_REBOOT + [STOPPED, PAUSED, SUSPENDED, ERROR]
        [ComputeOperation.RebootHard] = new(
            ComputeOperation.RebootHard,
            new HashSet<VmState> { VmState.Active, VmState.Stopped, VmState.Paused, VmState.Suspended, VmState.Error },
            SoftRebootTasks,
            TaskState.RebootingHard,
            VmState.Active,
            PowerState.Running),

        // Delete is allowed from every state and over every task (Nova: vm_state=None, task_state=None).
        [ComputeOperation.Delete] = new(
            ComputeOperation.Delete,
            Enum.GetValues<VmState>().Where(state => state != VmState.Deleted).ToHashSet(),
            Enum.GetValues<TaskState>().ToHashSet(),
            TaskState.Deleting,
            VmState.Deleted,
            PowerState.NoState),

        // compute/api.py snapshot: vm_state in [ACTIVE, STOPPED, PAUSED, SUSPENDED], task_state None.
        // A snapshot leaves the states as they were: ComputeService.Snapshot only clears its task,
        // so the two "on success" fields below are never applied.
        [ComputeOperation.Snapshot] = new(
            ComputeOperation.Snapshot,
            new HashSet<VmState> { VmState.Active, VmState.Stopped, VmState.Paused, VmState.Suspended },
            OnlyIdle,
            TaskState.ImageSnapshotPending,
            VmState.Active,
            PowerState.Running),
    };

    /// <summary>The task_states a snapshot passes through (task_states.py IMAGE_*), in order.</summary>
    public static IReadOnlyList<TaskState> SnapshotTasks { get; } =
        [TaskState.ImageSnapshotPending, TaskState.ImageSnapshot, TaskState.ImagePendingUpload, TaskState.ImageUploading];

    // What to do instead, for the refusals users meet most.
    private static readonly Dictionary<(ComputeOperation, VmState), string> Hints = new()
    {
        [(ComputeOperation.Start, VmState.Active)] = "it is already running",
        [(ComputeOperation.Start, VmState.Error)] = "reboot it with --hard, or delete it",
        [(ComputeOperation.Start, VmState.Paused)] = "reboot it with --hard",
        [(ComputeOperation.Start, VmState.Suspended)] = "reboot it with --hard",
        [(ComputeOperation.Stop, VmState.Stopped)] = "it is already stopped",
        [(ComputeOperation.Stop, VmState.Paused)] = "reboot it with --hard first",
        [(ComputeOperation.Stop, VmState.Suspended)] = "reboot it with --hard first",
        [(ComputeOperation.RebootSoft, VmState.Stopped)] = "start it instead",
        [(ComputeOperation.RebootSoft, VmState.Error)] = "reboot it with --hard",
        [(ComputeOperation.RebootSoft, VmState.Paused)] = "reboot it with --hard",
        [(ComputeOperation.RebootSoft, VmState.Suspended)] = "reboot it with --hard",
    };

    public static IReadOnlyDictionary<ComputeOperation, TransitionRule> Table => Rules;

    public static TransitionRule RuleFor(ComputeOperation operation) => Rules[operation];

    public static bool IsAllowed(ComputeOperation operation, VmState vmState, TaskState? taskState)
    {
        var rule = Rules[operation];
        return rule.AllowedVmStates.Contains(vmState)
            && (taskState is not { } task || rule.AllowedTasks.Contains(task));
    }

    /// <summary>Why the operation is refused, as one sentence; null when it is allowed.</summary>
    public static string? Refusal(ComputeOperation operation, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var rule = Rules[operation];
        var verb = operation.ToVerb();
        if (!rule.AllowedVmStates.Contains(instance.VmState))
        {
            var needed = string.Join(" or ", rule.AllowedVmStates.OrderBy(state => state).Select(state => state.ToNova()));
            var hint = instance.VmState == VmState.Building
                ? "wait for its build to finish"
                : Hints.GetValueOrDefault((operation, instance.VmState));
            return $"{instance.Label} is {instance.VmState.ToNova()}; '{verb}' needs it {needed}"
                + (hint is null ? string.Empty : $" ({hint})");
        }

        if (instance.TaskState is { } task && !rule.AllowedTasks.Contains(task))
        {
            return $"{instance.Label} is busy ({task.ToNova()}); '{verb}' needs it idle (try again when that finishes)";
        }

        return null;
    }

    /// <summary>Throws <see cref="ErrorKind.Conflict"/> with the refusal when the operation is not allowed.</summary>
    public static void EnsureAllowed(ComputeOperation operation, Instance instance)
    {
        if (Refusal(operation, instance) is { } refusal)
        {
            throw VireoException.Conflict(refusal);
        }
    }
}

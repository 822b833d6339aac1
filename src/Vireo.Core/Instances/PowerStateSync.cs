namespace Vireo.Core;

/// <summary>What to do after comparing an instance with its guest's power state.</summary>
/// <param name="Updated">The instance to store; equal to the input when nothing changes.</param>
/// <param name="ForceOffGuest">Pull the guest's plug before storing <paramref name="Updated"/>.</param>
public sealed record PowerSyncDecision(Instance Updated, bool ForceOffGuest, bool Changed);

/// <summary>
/// Pure rules that bring an instance in line with what its guest is doing, after Nova's
/// <c>ComputeManager._sync_instance_power_state</c>: the user's intent (vm_state) wins when
/// the guest runs against it (a stopped instance's guest is forced off); the guest wins when
/// it stopped by itself (an active instance whose guest shut down becomes stopped).
/// </summary>
public static class PowerStateSync
{
    /// <summary>
    /// Decides for an idle instance. An instance with a task in flight, a build, or a
    /// deleted one is left alone: the running operation sets the final state.
    /// </summary>
    public static PowerSyncDecision Decide(Instance instance, PowerState observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.TaskState is not null || instance.VmState is VmState.Building or VmState.Deleted)
        {
            return Unchanged(instance);
        }

        return (instance.VmState, observed) switch
        {
            // The guest stopped by itself: the instance is stopped (Nova calls compute_api.stop).
            (VmState.Active or VmState.Paused or VmState.Suspended, PowerState.Shutdown) => Change(instance, VmState.Stopped, PowerState.Shutdown, forceOff: false, now),
            (VmState.Active or VmState.Paused or VmState.Suspended, PowerState.Crashed) => Change(instance, VmState.Stopped, PowerState.Shutdown, forceOff: true, now),

            // Someone resumed a paused/suspended guest behind our back; it is running.
            (VmState.Paused or VmState.Suspended, PowerState.Running) => Change(instance, VmState.Active, PowerState.Running, forceOff: false, now),

            // A stopped instance must stay off (Nova calls compute_api.force_stop).
            (VmState.Stopped, PowerState.Running or PowerState.Paused or PowerState.Suspended or PowerState.Crashed) => Change(instance, VmState.Stopped, PowerState.Shutdown, forceOff: true, now),

            // Everything else (active + paused, error + anything, ...): only record what the guest does.
            _ => Change(instance, instance.VmState, observed, forceOff: false, now),
        };
    }

    /// <summary>
    /// Ends a power task (start, stop, reboot) that was interrupted, e.g. by a restart: the
    /// task is cleared and vm_state follows what the guest is actually doing.
    /// </summary>
    public static PowerSyncDecision Settle(Instance instance, PowerState observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var (vmState, power, forceOff) = observed switch
        {
            PowerState.Running => (VmState.Active, PowerState.Running, false),
            PowerState.Paused => (VmState.Paused, PowerState.Paused, false),
            PowerState.Suspended => (VmState.Suspended, PowerState.Suspended, false),
            PowerState.Crashed => (VmState.Stopped, PowerState.Shutdown, true),
            _ => (VmState.Stopped, observed, false),
        };
        var updated = instance with { VmState = vmState, TaskState = null, PowerState = power };
        return updated == instance
            ? Unchanged(instance)
            : new PowerSyncDecision(updated with { UpdatedAt = now }, forceOff, Changed: true);
    }

    private static PowerSyncDecision Change(Instance instance, VmState vmState, PowerState power, bool forceOff, DateTimeOffset now)
    {
        var updated = instance with { VmState = vmState, PowerState = power };
        return updated == instance && !forceOff
            ? Unchanged(instance)
            : new PowerSyncDecision(updated with { UpdatedAt = now }, forceOff, Changed: true);
    }

    private static PowerSyncDecision Unchanged(Instance instance) => new(instance, ForceOffGuest: false, Changed: false);
}

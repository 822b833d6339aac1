namespace Vireo.Core;

/// <summary>
/// The API's <c>status</c> of a server, a function of vm_state and task_state, as data
/// copied from Nova's <c>_STATE_MAP</c> (<c>nova/api/openstack/common.py</c>).
/// </summary>
public static class ServerStatus
{
    public const string Build = "BUILD";
    public const string Active = "ACTIVE";
    public const string Reboot = "REBOOT";
    public const string HardReboot = "HARD_REBOOT";
    public const string Migrating = "MIGRATING";
    public const string Shutoff = "SHUTOFF";
    public const string VerifyResize = "VERIFY_RESIZE";
    public const string Paused = "PAUSED";
    public const string Suspended = "SUSPENDED";
    public const string Rescue = "RESCUE";
    public const string Error = "ERROR";
    public const string Deleted = "DELETED";
    public const string SoftDeleted = "SOFT_DELETED";
    public const string Shelved = "SHELVED";
    public const string ShelvedOffloaded = "SHELVED_OFFLOADED";
    public const string Unknown = "UNKNOWN";

    /// <summary>One row of the map: the default status of a vm_state and its task overrides.</summary>
    public sealed record Row(string Default, IReadOnlyDictionary<TaskState, string> Overrides);

    private static readonly Dictionary<TaskState, string> NoOverrides = [];

    private static readonly Dictionary<VmState, Row> Map = new()
    {
        [VmState.Building] = new(Build, NoOverrides),
        [VmState.Active] = new(Active, new Dictionary<TaskState, string>
        {
            [TaskState.Rebooting] = Reboot,
            [TaskState.RebootPending] = Reboot,
            [TaskState.RebootStarted] = Reboot,
            [TaskState.RebootingHard] = HardReboot,
            [TaskState.RebootPendingHard] = HardReboot,
            [TaskState.RebootStartedHard] = HardReboot,
            [TaskState.Migrating] = Migrating,
        }),
        [VmState.Stopped] = new(Shutoff, NoOverrides),
        [VmState.Resized] = new(VerifyResize, NoOverrides),
        [VmState.Paused] = new(Paused, new Dictionary<TaskState, string> { [TaskState.Migrating] = Migrating }),
        [VmState.Suspended] = new(Suspended, NoOverrides),
        [VmState.Rescued] = new(Rescue, NoOverrides),
        [VmState.Error] = new(Error, NoOverrides),
        [VmState.Deleted] = new(Deleted, NoOverrides),
        [VmState.SoftDeleted] = new(SoftDeleted, NoOverrides),
        [VmState.Shelved] = new(Shelved, NoOverrides),
        [VmState.ShelvedOffloaded] = new(ShelvedOffloaded, NoOverrides),
    };

    public static IReadOnlyDictionary<VmState, Row> Table => Map;

    public static string For(VmState vmState, TaskState? taskState)
    {
        if (!Map.TryGetValue(vmState, out var row))
        {
            return Unknown;
        }

        return taskState is { } task && row.Overrides.TryGetValue(task, out var overridden) ? overridden : row.Default;
    }

    public static string For(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return For(instance.VmState, instance.TaskState);
    }
}

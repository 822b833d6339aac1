namespace Vireo.Core;

/// <summary>
/// The strings Nova uses for <see cref="VmState"/> and <see cref="TaskState"/> on the
/// wire and in its database; Vireo stores and shows the same strings.
/// </summary>
public static class NovaNames
{
    private static readonly Dictionary<VmState, string> VmStateNames = new()
    {
        [VmState.Building] = "building",
        [VmState.Active] = "active",
        [VmState.Paused] = "paused",
        [VmState.Suspended] = "suspended",
        [VmState.Stopped] = "stopped",
        [VmState.Rescued] = "rescued",
        [VmState.Resized] = "resized",
        [VmState.SoftDeleted] = "soft-delete",
        [VmState.Deleted] = "deleted",
        [VmState.Error] = "error",
        [VmState.Shelved] = "shelved",
        [VmState.ShelvedOffloaded] = "shelved_offloaded",
    };

    private static readonly Dictionary<TaskState, string> TaskStateNames = new()
    {
        [TaskState.Scheduling] = "scheduling",
        [TaskState.BlockDeviceMapping] = "block_device_mapping",
        [TaskState.Networking] = "networking",
        [TaskState.Spawning] = "spawning",
        [TaskState.PoweringOff] = "powering-off",
        [TaskState.PoweringOn] = "powering-on",
        [TaskState.Rebooting] = "rebooting",
        [TaskState.RebootPending] = "reboot_pending",
        [TaskState.RebootStarted] = "reboot_started",
        [TaskState.RebootingHard] = "rebooting_hard",
        [TaskState.RebootPendingHard] = "reboot_pending_hard",
        [TaskState.RebootStartedHard] = "reboot_started_hard",
        [TaskState.Migrating] = "migrating",
        [TaskState.Deleting] = "deleting",
        [TaskState.ImageSnapshotPending] = "image_snapshot_pending",
        [TaskState.ImageSnapshot] = "image_snapshot",
        [TaskState.ImagePendingUpload] = "image_pending_upload",
        [TaskState.ImageUploading] = "image_uploading",
    };

    private static readonly Dictionary<string, VmState> VmStatesByName =
        VmStateNames.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    private static readonly Dictionary<string, TaskState> TaskStatesByName =
        TaskStateNames.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyDictionary<VmState, string> VmStates => VmStateNames;

    public static IReadOnlyDictionary<TaskState, string> TaskStates => TaskStateNames;

    public static string ToNova(this VmState state) => VmStateNames[state];

    public static string ToNova(this TaskState state) => TaskStateNames[state];

    /// <summary>The task's wire name, or null (Nova's JSON <c>null</c>) when idle.</summary>
    public static string? ToNova(this TaskState? state) => state is { } task ? TaskStateNames[task] : null;

    /// <summary>Nova's upper-case name for a power state, e.g. <c>SHUTDOWN</c>, for messages.</summary>
    public static string ToNova(this PowerState state) => state switch
    {
        PowerState.NoState => "NOSTATE",
        PowerState.Running => "RUNNING",
        PowerState.Paused => "PAUSED",
        PowerState.Shutdown => "SHUTDOWN",
        PowerState.Crashed => "CRASHED",
        PowerState.Suspended => "SUSPENDED",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown power state"),
    };

    public static bool TryParseVmState(string name, out VmState state) => VmStatesByName.TryGetValue(name, out state);

    public static bool TryParseTaskState(string name, out TaskState state) => TaskStatesByName.TryGetValue(name, out state);

    public static VmState ParseVmState(string name) =>
        TryParseVmState(name, out var state)
            ? state
            : throw new VireoException(ErrorKind.Internal, $"unknown vm_state '{name}'; expected one of {string.Join(", ", VmStatesByName.Keys)}");

    public static TaskState? ParseTaskState(string? name)
    {
        if (name is null)
        {
            return null;
        }

        return TryParseTaskState(name, out var state)
            ? state
            : throw new VireoException(ErrorKind.Internal, $"unknown task_state '{name}'; expected one of {string.Join(", ", TaskStatesByName.Keys)}");
    }

    public static PowerState ParsePowerState(int value) =>
        Enum.IsDefined((PowerState)value)
            ? (PowerState)value
            : throw new VireoException(ErrorKind.Internal, $"unknown power_state {value}; expected 0, 1, 3, 4, 6 or 7");
}

namespace Vireo.Core;

/// <summary>
/// Nova's <c>task_state</c>: the operation in flight; absent (null) when idle
/// (<c>nova/compute/task_states.py</c>). Only the tasks Vireo runs are listed; the wire
/// names live in <see cref="NovaNames"/>.
/// </summary>
public enum TaskState
{
    Scheduling,
    BlockDeviceMapping,
    Networking,
    Spawning,
    PoweringOff,
    PoweringOn,
    Rebooting,
    RebootPending,
    RebootStarted,
    RebootingHard,
    RebootPendingHard,
    RebootStartedHard,
    Migrating,
    Deleting,

    /// <summary>createImage accepted, not started (set before the API answers 202).</summary>
    ImageSnapshotPending,

    /// <summary>The compute side took the snapshot over.</summary>
    ImageSnapshot,

    /// <summary>The root disk is being copied.</summary>
    ImagePendingUpload,

    /// <summary>The copy goes into the image store.</summary>
    ImageUploading,
}

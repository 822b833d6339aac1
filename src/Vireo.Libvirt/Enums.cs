namespace Vireo.Libvirt;

/// <summary>virDomainState.</summary>
public enum DomainState
{
    NoState = 0,
    Running = 1,
    Blocked = 2,
    Paused = 3,
    Shutdown = 4,
    Shutoff = 5,
    Crashed = 6,
    PmSuspended = 7,
}

/// <summary>A domain's state and libvirt's state-specific reason code (virDomainRunningReason, virDomainShutoffReason, ...).</summary>
public readonly record struct DomainStateInfo(DomainState State, int Reason)
{
    /// <summary>libvirt's name for the reason, for the states whose reasons callers act on.</summary>
    public string ReasonName => (State, Reason) switch
    {
        (DomainState.Running, 1) => "booted",
        (DomainState.Running, 2) => "migrated",
        (DomainState.Running, 3) => "restored",
        (DomainState.Running, 5) => "unpaused",
        (DomainState.Paused, 1) => "user",
        (DomainState.Shutoff, 1) => "shutdown",
        (DomainState.Shutoff, 2) => "destroyed",
        (DomainState.Shutoff, 3) => "crashed",
        (DomainState.Shutoff, 4) => "migrated",
        (DomainState.Shutoff, 5) => "saved",
        (DomainState.Shutoff, 6) => "failed",
        (DomainState.Shutoff, 7) => "from-snapshot",
        (DomainState.Shutoff, 8) => "daemon",
        (_, 0) => "unknown",
        _ => Reason.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>virConnectListAllDomainsFlags (subset).</summary>
[Flags]
public enum DomainListFlags : uint
{
    All = 0,
    Active = 1,
    Inactive = 2,
    Persistent = 4,
    Transient = 8,
}

/// <summary>virDomainCreateFlags (subset).</summary>
[Flags]
public enum DomainCreateFlags : uint
{
    None = 0,
    Paused = 1,
    /// <summary>The domain is destroyed when the connection that created it closes.</summary>
    AutoDestroy = 2,
    Validate = 16,
}

/// <summary>virDomainShutdownFlagValues / virDomainRebootFlagValues: how the guest is asked.</summary>
[Flags]
public enum PowerRequestMode : uint
{
    Default = 0,
    AcpiPowerButton = 1,
    GuestAgent = 2,
    Initctl = 4,
    Signal = 8,
    Paravirt = 16,
}

/// <summary>virDomainUndefineFlagsValues (subset).</summary>
[Flags]
public enum DomainUndefineFlags : uint
{
    None = 0,
    ManagedSave = 1,
    SnapshotsMetadata = 2,
    Nvram = 4,
    CheckpointsMetadata = 16,
}

/// <summary>virDomainXMLFlags (subset).</summary>
[Flags]
public enum DomainXmlFlags : uint
{
    None = 0,
    Secure = 1,
    Inactive = 2,
    UpdateCpu = 4,
    Migratable = 8,
}

/// <summary>virCPUCompareResult.</summary>
public enum CpuCompareResult
{
    Incompatible = 0,
    Identical = 1,
    Superset = 2,
}

/// <summary>virConnectBaselineCPUFlags.</summary>
[Flags]
public enum CpuBaselineFlags : uint
{
    None = 0,
    ExpandFeatures = 1,
    Migratable = 2,
}

/// <summary>virConnectCloseReason.</summary>
public enum ConnectionCloseReason
{
    Error = 0,
    EndOfFile = 1,
    KeepAlive = 2,
    Client = 3,
}

/// <summary>virDomainEventType: the lifecycle event kinds.</summary>
public enum DomainEventType
{
    Defined = 0,
    Undefined = 1,
    Started = 2,
    Suspended = 3,
    Resumed = 4,
    Stopped = 5,
    Shutdown = 6,
    PmSuspended = 7,
    Crashed = 8,
}

/// <summary>One lifecycle event as libvirt delivered it; Detail is the event-specific detail code.</summary>
public sealed record DomainLifecycleEvent(Guid Uuid, string Name, DomainEventType Event, int Detail);

/// <summary>virDomainJobType.</summary>
public enum DomainJobType
{
    None = 0,
    Bounded = 1,
    Unbounded = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}

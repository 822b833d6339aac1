namespace Vireo.DomainXml;

/// <summary>The libvirt domain type (root <c>&lt;domain type=…&gt;</c>).</summary>
public enum DomainType
{
    Kvm,
    Qemu,
}

/// <summary>Values of <c>on_poweroff</c>, <c>on_reboot</c> and <c>on_crash</c> (formatdomain "Events configuration").</summary>
public enum LifecycleAction
{
    Destroy,
    Restart,
    Preserve,
    RenameRestart,
    CoredumpDestroy,
    CoredumpRestart,
}

/// <summary>
/// One libvirt domain as Vireo writes it. A data model only: which values a guest gets is
/// decided by the guest config builder, never here.
/// </summary>
public sealed record DomainDefinition
{
    public required DomainType Type { get; init; }

    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    public VireoMetadata? Metadata { get; init; }

    /// <summary>Written both as <c>&lt;memory&gt;</c> and <c>&lt;currentMemory&gt;</c>; Vireo does not balloon at boot.</summary>
    public required long MemoryKiB { get; init; }

    public required int Vcpus { get; init; }

    public required OsConfig Os { get; init; }

    /// <summary>
    /// Flag features written as empty children of <c>&lt;features&gt;</c> (acpi, apic, pae, vmcoreinfo…),
    /// kept sorted and distinct so the output does not depend on the order callers add them.
    /// </summary>
    public EquatableArray<string> Features
    {
        get;
        init => field = value.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToEquatableArray();
    }

    public ClockConfig Clock { get; init; } = new();

    /// <summary>Null writes no <c>&lt;cpu&gt;</c> element (Nova's cpu_mode=none).</summary>
    public CpuConfig? Cpu { get; init; }

    public LifecycleAction OnPoweroff { get; init; } = LifecycleAction.Destroy;

    public LifecycleAction OnReboot { get; init; } = LifecycleAction.Restart;

    public LifecycleAction OnCrash { get; init; } = LifecycleAction.Destroy;

    public DeviceConfig Devices { get; init; } = new();
}

/// <summary><c>&lt;os&gt;</c>: <c>&lt;type arch machine&gt;hvm&lt;/type&gt;</c> and the boot order.</summary>
public sealed record OsConfig
{
    public string Type { get; init; } = "hvm";

    public required string Arch { get; init; }

    /// <summary>Null leaves the choice to libvirt; libvirt expands aliases such as <c>pc</c> to a versioned type when it stores the domain.</summary>
    public string? Machine { get; init; }

    /// <summary>In boot order; each becomes <c>&lt;boot dev=…/&gt;</c>.</summary>
    public EquatableArray<BootDevice> BootDevices { get; init; } = [];
}

public enum BootDevice
{
    Hd,
    Cdrom,
    Network,
    Fd,
}

/// <summary><c>&lt;clock offset&gt;</c> with its timers, written in the order given.</summary>
public sealed record ClockConfig
{
    public ClockOffset Offset { get; init; } = ClockOffset.Utc;

    public EquatableArray<TimerConfig> Timers { get; init; } = [];
}

public enum ClockOffset
{
    Utc,
    Localtime,
}

/// <summary><c>&lt;timer name tickpolicy present/&gt;</c>; null attributes are not written.</summary>
public sealed record TimerConfig(string Name, TimerTickPolicy? TickPolicy = null, bool? Present = null);

public enum TimerTickPolicy
{
    Delay,
    Catchup,
    Merge,
    Discard,
}

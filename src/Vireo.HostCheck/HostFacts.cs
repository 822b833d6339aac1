using Vireo.DomainXml;

namespace Vireo.HostCheck;

/// <summary>
/// Everything host readiness decides on, read once at the edges and then evaluated by a pure
/// function (<see cref="HostEvaluation"/>): the file facts come from a tree laid out like "/"
/// (<see cref="HostFileReader"/>), the rest from libvirt, the storage prerequisites and the
/// acceleration probes. Tests build the same record from fixture trees.
/// </summary>
public sealed record HostFacts
{
    public required KernelFacts Kernel { get; init; }

    public required QemuProcessFacts Qemu { get; init; }

    /// <summary>Features of libvirt's named CPU models (<c>/usr/share/libvirt/cpu_map</c>), by model name.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> CpuModelFeatures { get; init; } =
        new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);

    public required LibvirtFacts Libvirt { get; init; }

    public required StorageFacts Storage { get; init; }

    /// <summary>Acceleration probe results by virt type ("kvm", "qemu"); a type absent here was not probed.</summary>
    public IReadOnlyDictionary<string, ProbeResult> Probes { get; init; } = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
}

/// <summary>What the kernel shows in /proc, /sys and /dev.</summary>
public sealed record KernelFacts
{
    public required CpuFacts Cpu { get; init; }

    /// <summary>Modules present in /sys/module (loaded, or built in with parameters), by name with underscores.</summary>
    public required IReadOnlyDictionary<string, KernelModule> Modules { get; init; }

    public DeviceNode? Kvm { get; init; }

    public DeviceNode? VhostNet { get; init; }

    public DeviceNode? Tun { get; init; }

    /// <summary>/dev/mapper/control: LVM cannot create volumes without device-mapper.</summary>
    public DeviceNode? MapperControl { get; init; }

    /// <summary>udevd's control socket (/run/udev/control) exists: <c>udevadm trigger</c> would act.</summary>
    public bool UdevRunning { get; init; }

    public bool HasModule(string name) => Modules.ContainsKey(name);

    /// <summary>A module parameter's value as the kernel prints it ("Y", "N", "1", "0"), or null.</summary>
    public string? Parameter(string module, string parameter) =>
        Modules.TryGetValue(module, out var m) && m.Parameters.TryGetValue(parameter, out var value) ? value : null;
}

public sealed record KernelModule(string Name, IReadOnlyDictionary<string, string> Parameters);

/// <summary>A device node as stat shows it; owner and group are names when /etc/passwd and /etc/group know them.</summary>
/// <param name="Mode">Permission bits, e.g. 0o600.</param>
public sealed record DeviceNode(string Path, NodeKind Kind, int Uid, int Gid, string Owner, string Group, int Mode)
{
    public string ModeText => PermissionText(Mode, Kind);

    /// <summary>The ls -l form, e.g. "crw-rw----".</summary>
    public static string PermissionText(int mode, NodeKind kind)
    {
        var chars = new char[10];
        chars[0] = kind == NodeKind.CharacterDevice ? 'c' : '-';
        const string rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            chars[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx[i] : '-';
        }

        return new string(chars);
    }
}

/// <summary>The identity QEMU processes get, and whether anything confines them.</summary>
/// <param name="User">qemu.conf <c>user</c>, libvirt's built-in default, or the connecting user for qemu:///session.</param>
/// <param name="Groups">Every group the user is in (primary and supplementary), by name, per /etc/passwd and /etc/group.</param>
/// <param name="Source">Where the identity comes from, for messages ("/etc/libvirt/qemu.conf", "libvirt's default", "this session").</param>
/// <param name="SecurityDriver">qemu.conf <c>security_driver</c>; null when it is not set (libvirt then uses the first LSM available).</param>
/// <param name="AvailableSecurityModules">LSMs the kernel has active (apparmor, selinux).</param>
/// <param name="SessionGroups">For qemu:///session, the groups this login session really has (/proc/self/status), which lag /etc/group until the next login.</param>
public sealed record QemuProcessFacts(
    string User,
    int? Uid,
    string Group,
    IReadOnlyList<string> Groups,
    string Source,
    string? SecurityDriver,
    IReadOnlyList<string> AvailableSecurityModules,
    IReadOnlyList<string>? SessionGroups = null)
{
    public bool IsRoot => Uid == 0 || User == "root";

    /// <summary>The LSM that confines QEMU, or null: "none" configured, or unset with no LSM active.</summary>
    public string? Confinement => SecurityDriver switch
    {
        "none" => null,
        null => AvailableSecurityModules.FirstOrDefault(),
        var driver => driver,
    };
}

/// <summary>What libvirt answered; <see cref="Answered"/> false means only <see cref="Error"/> is known.</summary>
public sealed record LibvirtFacts
{
    public required string Uri { get; init; }

    public bool Answered { get; init; }

    public string? Error { get; init; }

    public Version? LibvirtVersion { get; init; }

    public Version? QemuVersion { get; init; }

    /// <summary>capabilities <c>host/cpu/arch</c>.</summary>
    public string? HostArch { get; init; }

    /// <summary>capabilities <c>&lt;guest&gt;</c> entries: what the scheduler and every spawn rely on.</summary>
    public IReadOnlyList<GuestCapability> Guests { get; init; } = [];

    /// <summary>Domain capabilities by virt type; a type libvirt refused carries the error instead.</summary>
    public IReadOnlyDictionary<string, DomainCapabilitiesFacts> DomainCapabilities { get; init; } =
        new Dictionary<string, DomainCapabilitiesFacts>(StringComparer.Ordinal);

    /// <summary>compareHypervisorCPU answers for the configured CPU (custom models, or host-model plus extra flags).</summary>
    public IReadOnlyList<HypervisorCpuComparison> Comparisons { get; init; } = [];

    public static LibvirtFacts Unreachable(string uri, string error) => new() { Uri = uri, Answered = false, Error = error };

    public bool HasGuest(string osType, string arch, string domainType) =>
        Guests.Any(g => g.OsType == osType && g.Arch == arch && g.DomainTypes.Contains(domainType));
}

public sealed record GuestCapability(string OsType, string Arch, IReadOnlySet<string> DomainTypes);

public sealed record DomainCapabilitiesFacts(DomainCapabilitiesCpu? Cpu, string? Error);

/// <summary>One compareHypervisorCPU answer: the verdict, or the error libvirt gave instead.</summary>
/// <param name="Cpu">What was compared, e.g. "Nehalem +pcid".</param>
/// <param name="Result">
/// libvirt's verdict; for an incompatible CPU, <see cref="CpuComparisonResult.Missing"/> holds the
/// extra flags the hypervisor cannot provide, each found by comparing it alone. Null when libvirt
/// refused to compare (<paramref name="Error"/>).
/// </param>
public sealed record HypervisorCpuComparison(string VirtType, string Cpu, CpuComparisonResult? Result, string? Error = null)
{
    public static HypervisorCpuComparison Answered(string virtType, string cpu, CpuComparisonVerdict verdict, IReadOnlyList<string> missing) =>
        new(virtType, cpu, new CpuComparisonResult(verdict, missing, [], [], null));

    public bool Incompatible => Result?.Verdict == CpuComparisonVerdict.Incompatible;
}

public enum ProbeOutcome
{
    /// <summary>The guest printed its final marker before the deadline.</summary>
    Passed,

    /// <summary>The guest kept running (libvirt said so) without printing its marker.</summary>
    TimedOut,

    /// <summary>The guest stopped before printing its marker.</summary>
    Stopped,

    /// <summary>libvirt refused to start it.</summary>
    StartFailed,

    /// <summary>Not attempted (see <see cref="ProbeResult.Error"/>).</summary>
    NotRun,
}

/// <summary>One acceleration probe: a boot sector guest of one virt type and what it printed on its serial port.</summary>
/// <param name="SerialOutput">Everything the guest printed (its stage lines), as text.</param>
/// <param name="Error">libvirt's message for StartFailed, the reason for NotRun.</param>
/// <param name="LogPath">QEMU's log for this guest on the host, when known.</param>
public sealed record ProbeResult(
    string VirtType,
    ProbeOutcome Outcome,
    TimeSpan Elapsed,
    TimeSpan Deadline,
    string SerialOutput = "",
    string? Error = null,
    string? LogPath = null);

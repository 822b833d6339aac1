using Vireo.DomainXml;

namespace Vireo.Virt.HostReadiness;

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

/// <param name="Arch">The kernel's architecture (x86_64, ppc64le, aarch64...).</param>
/// <param name="Vendor">x86 <c>vendor_id</c>: GenuineIntel, AuthenticAMD, HygonGenuine.</param>
/// <param name="Flags">x86 <c>flags</c> (vmx, svm, hypervisor...).</param>
/// <param name="Platform">POWER <c>platform</c>: PowerNV (bare metal, KVM-HV possible) or pSeries (an LPAR).</param>
/// <param name="Processor">POWER <c>cpu</c> line, e.g. "POWER8E (raw), altivec supported".</param>
public sealed record CpuFacts(
    string Arch,
    string? Vendor,
    string? ModelName,
    IReadOnlySet<string> Flags,
    string? Platform = null,
    string? Processor = null)
{
    public bool IsX86 => Arch is "x86_64" or "i686" or "i386";

    public bool IsPower => Arch.StartsWith("ppc64", StringComparison.Ordinal);

    public bool HasFlag(string flag) => Flags.Contains(flag);
}

public sealed record KernelModule(string Name, IReadOnlyDictionary<string, string> Parameters);

public enum NodeKind
{
    CharacterDevice,
    Other,
}

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
    public IReadOnlyList<CpuComparison> Comparisons { get; init; } = [];

    public static LibvirtFacts Unreachable(string uri, string error) => new() { Uri = uri, Answered = false, Error = error };

    public bool HasGuest(string osType, string arch, string domainType) =>
        Guests.Any(g => g.OsType == osType && g.Arch == arch && g.DomainTypes.Contains(domainType));
}

public sealed record GuestCapability(string OsType, string Arch, IReadOnlySet<string> DomainTypes);

public sealed record DomainCapabilitiesFacts(DomainCapabilitiesCpu? Cpu, string? Error);

public enum CpuComparisonResult
{
    Incompatible,
    Identical,
    Superset,
    Error,
}

/// <param name="Cpu">What was compared, e.g. "Nehalem +pcid".</param>
public sealed record CpuComparison(string VirtType, string Cpu, CpuComparisonResult Result, string? Message = null)
{
    /// <summary>For an incompatible CPU: the extra flags the hypervisor cannot provide, each found by comparing it alone.</summary>
    public IReadOnlyList<string> MissingFeatures { get; init; } = [];
}

/// <summary>The configured images_type's prerequisites.</summary>
public sealed record StorageFacts
{
    /// <summary>qemu-img on the search path, or null.</summary>
    public string? QemuImg { get; init; }

    public required DirectoryFacts InstancesPath { get; init; }

    public LvmFacts? Lvm { get; init; }

    public RbdFacts? Rbd { get; init; }
}

/// <param name="ExistingAncestor">When <paramref name="Exists"/> is false: the nearest directory that exists (serve creates the rest).</param>
/// <param name="Writable">Vireo can create files in it (or in the ancestor).</param>
/// <param name="DirectIo">A file there opens with O_DIRECT; null when it could not be tried.</param>
public sealed record DirectoryFacts(string Path, bool Exists, bool Writable, bool? DirectIo, string? ExistingAncestor = null, string? Error = null);

/// <param name="VolumeGroups">What <c>vgs</c> lists; null when it could not run (<paramref name="Error"/>).</param>
public sealed record LvmFacts(string? VolumeGroup, IReadOnlyList<string>? VolumeGroups, string? Error);

/// <param name="Pools">What <c>ceph osd pool ls</c> lists; null when it could not run (<paramref name="Error"/>).</param>
/// <param name="QemuRbdDriver">QEMU's rbd block driver (Debian: qemu-block-extra) is installed.</param>
public sealed record RbdFacts(string CephConf, bool CephConfExists, string Pool, IReadOnlyList<string>? Pools, string? Error, bool QemuRbdDriver);

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

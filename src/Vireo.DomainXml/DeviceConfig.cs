using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.DomainXml;

/// <summary>The children of <c>&lt;devices&gt;</c> this model covers, written in this order.</summary>
public sealed record DeviceConfig
{
    public EquatableArray<DiskConfig> Disks { get; init; } = [];

    public EquatableArray<SerialConfig> Serials { get; init; } = [];

    public EquatableArray<ChannelConfig> Channels { get; init; } = [];

    /// <summary>Null writes no element; libvirt then adds a virtio balloon itself on x86.</summary>
    public MemballoonConfig? Memballoon { get; init; }
}

/// <summary>
/// A disk: <c>&lt;disk type='file|block|network'&gt;</c> after its <see cref="Source"/> (formatdomain
/// "Hard drives, floppy disks, CDROMs"). The format is always stated: QEMU must never probe it
/// (CVE-2024-32498 and friends), so there is no "unspecified" value.
/// </summary>
public sealed record DiskConfig
{
    public DiskDevice Device { get; init; } = DiskDevice.Disk;

    public required DiskFormat Format { get; init; }

    /// <summary>A file (<c>type='file'</c>), a block device (<c>type='block'</c>) or an RBD image (<c>type='network'</c>).</summary>
    public required DiskSource Source { get; init; }

    public required string TargetDev { get; init; }

    public DiskBus Bus { get; init; } = DiskBus.Virtio;

    public DiskCache? Cache { get; init; }

    public DiskDiscard? Discard { get; init; }

    /// <summary><c>&lt;driver io&gt;</c>; null writes none (QEMU's default, threads).</summary>
    public DiskIo? Io { get; init; }
}

public enum DiskDevice
{
    Disk,
    Cdrom,
}

public enum DiskBus
{
    Virtio,
    Sata,
    Scsi,
    Ide,
    Usb,
}

public enum DiskCache
{
    Default,
    None,
    Writethrough,
    Writeback,
    Directsync,
    Unsafe,
}

/// <summary>libvirt's names of the <see cref="DiskCache"/> modes (<c>&lt;driver cache&gt;</c>, and Nova's <c>disk_cachemodes</c>).</summary>
public static class DiskCacheNames
{
    /// <summary>The mode libvirt spells <paramref name="name"/> (exactly, lower case); false for any other text.</summary>
    public static bool TryParse(string name, out DiskCache mode) => Vocabulary.DiskCaches.TryParse(name, out mode);
}

public enum DiskDiscard
{
    Unmap,
    Ignore,
}

/// <summary><c>&lt;driver io&gt;</c>: native (Linux AIO, needs O_DIRECT, so cache none or directsync) or threads.</summary>
public enum DiskIo
{
    Native,
    Threads,
}

/// <summary>
/// A serial port writing to a file: <c>&lt;serial type='file'&gt;&lt;source path append/&gt;</c>.
/// libvirt adds the matching <c>&lt;console&gt;</c> for the first serial port of an HVM guest
/// itself, so none is written. Append matters: without it the log is truncated on every start.
/// </summary>
public sealed record SerialConfig(string LogPath, bool Append = true, int Port = 0);

/// <summary>
/// A virtio channel on a unix socket libvirt creates (<c>mode='bind'</c>), e.g. the guest agent.
/// libvirt adds the virtio-serial controller itself.
/// </summary>
public sealed record ChannelConfig(string SocketPath, string TargetName = ChannelConfig.GuestAgentName)
{
    public const string GuestAgentName = "org.qemu.guest_agent.0";
}

public sealed record MemballoonConfig
{
    public MemballoonModel Model { get; init; } = MemballoonModel.Virtio;

    /// <summary>Guest memory statistics period, <c>&lt;stats period/&gt;</c>; null writes none.</summary>
    public int? StatsPeriodSeconds { get; init; }

    public bool? AutoDeflate { get; init; }

    public bool? FreePageReporting { get; init; }
}

public enum MemballoonModel
{
    Virtio,
    VirtioTransitional,
    VirtioNonTransitional,
    None,
}

using Vireo.Core;

namespace Vireo.DomainXml;

/// <summary>An explicit two-way table between an enum and libvirt's spelling; no reflection, so renaming a member cannot change the XML.</summary>
internal sealed class XmlEnum<T>
    where T : struct, Enum
{
    private readonly (T Value, string Xml)[] _pairs;

    public XmlEnum(params (T Value, string Xml)[] pairs)
        : this([], pairs, complete: true)
    {
    }

    /// <param name="unwritten">Values the XML has no word for (writing one throws).</param>
    public XmlEnum(T[] unwritten, params (T Value, string Xml)[] pairs)
        : this(unwritten, pairs, complete: true)
    {
    }

    /// <param name="complete">Whether every member of <typeparamref name="T"/> must have a spelling or be unwritten.</param>
    private XmlEnum(T[] unwritten, (T Value, string Xml)[] pairs, bool complete)
    {
        _pairs = pairs;
        foreach (var value in complete ? Enum.GetValues<T>() : [])
        {
            if (!Array.Exists(pairs, p => p.Value.Equals(value)) && !unwritten.Contains(value))
            {
                throw new InvalidOperationException($"{typeof(T).Name}.{value} has no XML spelling");
            }
        }
    }

    /// <summary>
    /// A table over an enum whose spellings are kept with the enum itself (in another project):
    /// the members <paramref name="spelling"/> names; a member it gives null for is not part of this model.
    /// </summary>
    public static XmlEnum<T> From(Func<T, string?> spelling) =>
        new([], [.. Enum.GetValues<T>().Select(value => (Value: value, Xml: spelling(value))).Where(p => p.Xml is not null).Select(p => (p.Value, p.Xml!))], complete: false);

    public string Choices => string.Join(", ", _pairs.Select(p => p.Xml));

    public string ToXml(T value)
    {
        foreach (var (v, xml) in _pairs)
        {
            if (v.Equals(value))
            {
                return xml;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(T).Name}");
    }

    public bool TryParse(string xml, out T value)
    {
        foreach (var (v, x) in _pairs)
        {
            if (string.Equals(x, xml, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>libvirt's spellings, from formatdomain and the domaincommon.rng schema.</summary>
internal static class Vocabulary
{
    public static readonly XmlEnum<DomainType> DomainTypes = new((DomainType.Kvm, "kvm"), (DomainType.Qemu, "qemu"));

    public static readonly XmlEnum<LifecycleAction> LifecycleActions = new(
        (LifecycleAction.Destroy, "destroy"),
        (LifecycleAction.Restart, "restart"),
        (LifecycleAction.Preserve, "preserve"),
        (LifecycleAction.RenameRestart, "rename-restart"),
        (LifecycleAction.CoredumpDestroy, "coredump-destroy"),
        (LifecycleAction.CoredumpRestart, "coredump-restart"));

    public static readonly XmlEnum<BootDevice> BootDevices = new(
        (BootDevice.Hd, "hd"), (BootDevice.Cdrom, "cdrom"), (BootDevice.Network, "network"), (BootDevice.Fd, "fd"));

    public static readonly XmlEnum<ClockOffset> ClockOffsets = new((ClockOffset.Utc, "utc"), (ClockOffset.Localtime, "localtime"));

    public static readonly XmlEnum<TimerTickPolicy> TickPolicies = new(
        (TimerTickPolicy.Delay, "delay"),
        (TimerTickPolicy.Catchup, "catchup"),
        (TimerTickPolicy.Merge, "merge"),
        (TimerTickPolicy.Discard, "discard"));

    public static readonly XmlEnum<DiskDevice> DiskDevices = new((DiskDevice.Disk, "disk"), (DiskDevice.Cdrom, "cdrom"));

    /// <summary>The formats Vireo defines guest disks in (raw, qcow2), spelled by <see cref="Core.DiskFormats.LibvirtDriverType"/>.</summary>
    public static readonly XmlEnum<DiskFormat> DiskFormats = XmlEnum<DiskFormat>.From(format => format.LibvirtDriverType());

    public static readonly XmlEnum<DiskBus> DiskBuses = new(
        (DiskBus.Virtio, "virtio"), (DiskBus.Sata, "sata"), (DiskBus.Scsi, "scsi"), (DiskBus.Ide, "ide"), (DiskBus.Usb, "usb"));

    public static readonly XmlEnum<DiskCache> DiskCaches = new(
        (DiskCache.Default, "default"),
        (DiskCache.None, "none"),
        (DiskCache.Writethrough, "writethrough"),
        (DiskCache.Writeback, "writeback"),
        (DiskCache.Directsync, "directsync"),
        (DiskCache.Unsafe, "unsafe"));

    public static readonly XmlEnum<DiskDiscard> DiskDiscards = new((DiskDiscard.Unmap, "unmap"), (DiskDiscard.Ignore, "ignore"));

    public static readonly XmlEnum<DiskIo> DiskIos = new((DiskIo.Native, "native"), (DiskIo.Threads, "threads"));

    public static readonly XmlEnum<MemballoonModel> MemballoonModels = new(
        (MemballoonModel.Virtio, "virtio"),
        (MemballoonModel.VirtioTransitional, "virtio-transitional"),
        (MemballoonModel.VirtioNonTransitional, "virtio-non-transitional"),
        (MemballoonModel.None, "none"));

    /// <summary>CpuMode.None is nova.conf's alone: Nova writes it as a custom CPU without a model.</summary>
    public static readonly XmlEnum<CpuMode> CpuModes = new(
        [CpuMode.None],
        (CpuMode.Custom, "custom"),
        (CpuMode.HostModel, "host-model"),
        (CpuMode.HostPassthrough, "host-passthrough"),
        (CpuMode.Maximum, "maximum"));

    public static readonly XmlEnum<CpuMatch> CpuMatches = new((CpuMatch.Minimum, "minimum"), (CpuMatch.Exact, "exact"), (CpuMatch.Strict, "strict"));

    public static readonly XmlEnum<CpuModelFallback> Fallbacks = new((CpuModelFallback.Allow, "allow"), (CpuModelFallback.Forbid, "forbid"));

    public static readonly XmlEnum<CpuFeaturePolicy> FeaturePolicies = new(
        (CpuFeaturePolicy.Force, "force"),
        (CpuFeaturePolicy.Require, "require"),
        (CpuFeaturePolicy.Optional, "optional"),
        (CpuFeaturePolicy.Disable, "disable"),
        (CpuFeaturePolicy.Forbid, "forbid"));

    public static readonly XmlEnum<CpuModelUsability> Usabilities = new(
        (CpuModelUsability.Unknown, "unknown"), (CpuModelUsability.Yes, "yes"), (CpuModelUsability.No, "no"));
}

using Vireo.Configuration.Options;
using Vireo.Core;
using Vireo.Storage.HostFacts;

namespace Vireo.HostCheck;

/// <summary>The part of nova.conf host readiness judges the host against, as plain values.</summary>
public sealed record HostCheckConfig
{
    public VirtType VirtType { get; init; } = VirtType.Kvm;

    public string ConnectionUri { get; init; } = "qemu:///system";

    /// <summary>[libvirt] cpu_mode as configured; null resolves as Nova does (<see cref="EffectiveCpuMode"/>).</summary>
    public CpuMode? CpuMode { get; init; }

    public IReadOnlyList<string> CpuModels { get; init; } = [];

    public IReadOnlyList<CpuFeatureFlag> ExtraFlags { get; init; } = [];

    public ImagesType ImagesType { get; init; } = ImagesType.Qcow2;

    public string InstancesPath { get; init; } = "/var/lib/nova/instances";

    public string? ImagesVolumeGroup { get; init; }

    public string ImagesRbdPool { get; init; } = "rbd";

    /// <summary>[libvirt] images_rbd_ceph_conf; empty means Ceph's default /etc/ceph/ceph.conf.</summary>
    public string ImagesRbdCephConf { get; init; } = "";

    public string VirtTypeName => Name(VirtType);

    public string EffectiveCephConf => string.IsNullOrEmpty(ImagesRbdCephConf) ? "/etc/ceph/ceph.conf" : ImagesRbdCephConf;

    public static HostCheckConfig From(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var libvirt = options.Libvirt;
        return new HostCheckConfig
        {
            VirtType = libvirt.VirtType,
            ConnectionUri = libvirt.EffectiveConnectionUri,
            CpuMode = libvirt.CpuMode,
            CpuModels = libvirt.CpuModels,
            ExtraFlags = libvirt.CpuModelExtraFlags,
            ImagesType = libvirt.ImagesType,
            InstancesPath = options.Default.InstancesPath,
            ImagesVolumeGroup = libvirt.ImagesVolumeGroup,
            ImagesRbdPool = libvirt.ImagesRbdPool,
            ImagesRbdCephConf = libvirt.ImagesRbdCephConf,
        };
    }

    /// <summary>The mode guests get on <paramref name="arch"/> (<see cref="CpuModes.Effective"/>).</summary>
    public CpuMode EffectiveCpuMode(string arch) => CpuModes.Effective(CpuMode, arch);

    /// <summary>What the storage facts are read for.</summary>
    public StorageFactsRequest StorageRequest => new(InstancesPath, ImagesType, ImagesVolumeGroup, EffectiveCephConf, ImagesRbdPool);

    /// <summary>Whether the extra flags require one of these features (e.g. vmx or svm for nested guests).</summary>
    public bool RequiresFlag(params string[] names) =>
        ExtraFlags.Any(f => f.Policy == CpuFeaturePolicy.Require && names.Contains(f.Name, StringComparer.Ordinal));

    public bool DisablesFlag(params string[] names) =>
        ExtraFlags.Any(f => f.Policy == CpuFeaturePolicy.Disable && names.Contains(f.Name, StringComparer.Ordinal));

    public static string Name(VirtType type) => type == VirtType.Qemu ? "qemu" : "kvm";

    public static string Name(ImagesType type) => type switch
    {
        ImagesType.Flat => "flat",
        ImagesType.Lvm => "lvm",
        ImagesType.Rbd => "rbd",
        _ => "qcow2",
    };
}

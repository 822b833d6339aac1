using Vireo.Configuration.Options;

namespace Vireo.Storage.HostFacts;

/// <summary>What the storage facts are read for: nova.conf's instances_path and images_type with its volume group or Ceph pool.</summary>
/// <param name="CephConf">[libvirt] images_rbd_ceph_conf, already resolved (empty in nova.conf means /etc/ceph/ceph.conf).</param>
public sealed record StorageFactsRequest(string InstancesPath, ImagesType ImagesType, string? VolumeGroup, string CephConf, string RbdPool);

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
public sealed record LvmFacts(string? VolumeGroup, IReadOnlyList<string>? VolumeGroups, string? Error)
{
    /// <summary>The kernel's device-mapper is there (<c>/dev/mapper/control</c>); null when not looked at.</summary>
    public bool? DeviceMapper { get; init; }
}

/// <param name="Pools">What <c>ceph osd pool ls</c> lists; null when it could not run (<paramref name="Error"/>).</param>
/// <param name="QemuRbdDriver">QEMU's rbd block driver (Debian: qemu-block-extra) is installed.</param>
public sealed record RbdFacts(string CephConf, bool CephConfExists, string Pool, IReadOnlyList<string>? Pools, string? Error, bool QemuRbdDriver);

namespace Vireo.Configuration.Options;

/// <summary>[libvirt] virt_type.</summary>
public enum VirtType
{
    Kvm,
    Qemu,
}

/// <summary>[libvirt] images_type, resolved: <c>default</c> follows use_cow_images and <c>raw</c> is <c>flat</c>.</summary>
public enum ImagesType
{
    Qcow2,
    Flat,
    Lvm,
    Rbd,
}

/// <summary>[DEFAULT] preallocate_images.</summary>
public enum PreallocateImages
{
    None,
    Space,
}

/// <summary>[libvirt] hw_disk_discard.</summary>
public enum DiskDiscard
{
    Ignore,
    Unmap,
}

/// <summary>The engine named by the scheme of [database] connection.</summary>
public enum DatabaseEngine
{
    Sqlite,
    MySql,
    PostgreSql,
    Other,
}

/// <summary>The policy of a CPU feature in [libvirt] cpu_model_extra_flags: '+flag' or 'flag' requires, '-flag' disables.</summary>
public enum CpuFeaturePolicy
{
    Require,
    Disable,
}

/// <summary>One item of [libvirt] cpu_model_extra_flags, lower-cased as libvirt needs (LP #1750829).</summary>
public sealed record CpuFeatureFlag(string Name, CpuFeaturePolicy Policy);

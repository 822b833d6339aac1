namespace Vireo.Core.Ports;

/// <summary>
/// How the root disk of a running guest is copied for a snapshot, as the image backend allows: a
/// closed set (nova/virt/libvirt/driver.py snapshot: a live snapshot through the hypervisor, or the
/// backend's direct_snapshot, or none while the guest runs).
/// </summary>
public abstract record RunningDiskCopy
{
    private RunningDiskCopy()
    {
    }

    /// <summary>The hypervisor copies the disk the guest has open (file disks).</summary>
    public static RunningDiskCopy ByHypervisor { get; } = new Hypervisor();

    /// <summary>The storage takes a point-in-time snapshot of the disk itself while the guest runs (rbd: Nova's direct_snapshot).</summary>
    public static RunningDiskCopy ByStorage { get; } = new Storage();

    /// <summary>The hypervisor copies the disk the guest has open.</summary>
    public sealed record Hypervisor : RunningDiskCopy;

    /// <summary>The storage snapshots the running disk itself; the copy is crash-consistent, as a power cut would leave it.</summary>
    public sealed record Storage : RunningDiskCopy;

    /// <summary>A running guest's disk cannot be copied here: <paramref name="Reason"/> says why and what to do, in one sentence.</summary>
    public sealed record Refused(string Reason) : RunningDiskCopy;
}

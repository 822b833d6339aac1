using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Storage.Disks.Backends;

/// <summary>What a backend makes a root disk from.</summary>
/// <param name="InstanceId">The instance the disk is for.</param>
/// <param name="InstanceLabel">The instance, for messages and logs.</param>
/// <param name="InstanceDirectory"><c>&lt;instances_path&gt;/&lt;uuid&gt;/</c>, already made, with its owner file.</param>
/// <param name="Base">The checked base image, held for the duration of the call.</param>
/// <param name="SizeBytes">The flavor's root disk; null when the flavor says 0 (the image's size). Never smaller than the base (checked before).</param>
/// <param name="IsCdrom">The root of an ISO image: the guest sees a CD-ROM.</param>
public sealed record RootDiskRequest(Guid InstanceId, string InstanceLabel, string InstanceDirectory, BaseImageLease Base, long? SizeBytes, bool IsCdrom)
{
    /// <summary>The image the base is of (the rbd backend names its base after it).</summary>
    public Guid ImageId { get; init; }
}

/// <summary>What a backend makes a flavor's ephemeral or swap disk from: a formatted raw template in the base cache.</summary>
/// <param name="InstanceId">The instance the disk is for.</param>
/// <param name="InstanceLabel">The instance, for messages and logs.</param>
/// <param name="InstanceDirectory"><c>&lt;instances_path&gt;/&lt;uuid&gt;/</c>, already made, with its owner file.</param>
/// <param name="Role">Ephemeral or swap.</param>
/// <param name="DiskName">Nova's name of the disk: <c>disk.local</c> or <c>disk.swap</c> (the file in the instance directory, the suffix of <c>&lt;uuid&gt;_disk.local</c> elsewhere).</param>
/// <param name="TemplateName">The template's name in the base cache (<c>ephemeral_&lt;GiB&gt;_&lt;hash&gt;</c>, <c>swap_&lt;MiB&gt;</c>).</param>
/// <param name="TemplatePath">The raw template, held for the duration of the call.</param>
/// <param name="SizeBytes">The template's (and the disk's) size.</param>
public sealed record ExtraDiskRequest(
    Guid InstanceId, string InstanceLabel, string InstanceDirectory, DiskRole Role, string DiskName, string TemplateName, string TemplatePath, long SizeBytes);
/// <summary>A copy of an instance's root disk for a snapshot, with the guest not running.</summary>
/// <param name="InstanceDirectory"><c>&lt;instances_path&gt;/&lt;uuid&gt;/</c> (its disk.info names the file disks' formats).</param>
/// <param name="TargetPath">The file to write (absolute, not there yet); the caller removes it whatever happens.</param>
/// <param name="TargetFormat">raw or qcow2, passed to qemu-img with -O.</param>
public sealed record RootDiskExport(Guid InstanceId, string InstanceDirectory, string TargetPath, DiskFormat TargetFormat)
{
    /// <summary>The id of the image the copy becomes (empty: unknown); the rbd backend makes that image's base in its pool from the same RBD snapshot.</summary>
    public Guid ImageId { get; init; }
}

/// <summary>
/// One <c>[libvirt] images_type</c>: how an instance's root disk is made from the cached base
/// and where it lives (nova/virt/libvirt/imagebackend.py). Chosen once at start
/// (<see cref="ImageBackendSelection"/>); <see cref="InstanceDisks"/> asks it for the root disk
/// and keeps everything else (instance directory, owner file, console log, base cache), so nothing
/// above the storage layer knows which backend made a disk: the disk's <see cref="DiskSource"/> says
/// where it is.
/// </summary>
public interface IImageBackend
{
    ImageBackendKind Kind { get; }

    /// <summary>
    /// Makes the root disk, all or nothing: on failure nothing it started is left behind.
    /// The disk is made under a temporary name (or in a way that is atomic) and appears complete.
    /// </summary>
    /// <exception cref="Core.VireoException">Failed when qemu-img (or the backend's tool) fails; TooLarge when the disk is full.</exception>
    Task<GuestDisk> CreateRootDiskAsync(RootDiskRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the flavor's ephemeral or swap disk from its template where this backend keeps disks
    /// (nova/virt/libvirt/driver.py _create_ephemeral/_create_swap go through the same image backend
    /// as the root disk), all or nothing.
    /// </summary>
    /// <exception cref="Core.VireoException">Failed when qemu-img (or the backend's tool) fails; TooLarge when the disk is full.</exception>
    Task<GuestDisk> CreateExtraDiskAsync(ExtraDiskRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the disks this backend made for the instance outside its instance directory (an RBD
    /// image, a logical volume). Idempotent. The file backends keep every disk in the instance
    /// directory, which <see cref="InstanceDisks"/> removes, so they have nothing to do.
    /// </summary>
    Task RemoveDisksAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Every disk this backend's store holds for an instance outside instance directories (names
    /// <c>&lt;uuid&gt;_*</c>, whoever made them; never a base). The file backends hold none.
    /// </summary>
    Task<IReadOnlyList<OutsideDisk>> ListDisksAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutsideDisk>>([]);
    /// How a running guest's root disk is copied for a snapshot with this backend: by default the
    /// hypervisor's live copy, which reads any disk the guest has open.
    /// </summary>
    RunningDiskCopy RunningDiskCopy => RunningDiskCopy.ByHypervisor;

    /// <summary>
    /// Copies the root disk of a guest that is not running (or, when <see cref="RunningDiskCopy"/>
    /// says <see cref="RunningDiskCopy.ByStorage"/>, of one that runs) to <see cref="RootDiskExport.TargetPath"/>,
    /// reading it with its format named (qemu-img convert -f ... -O ...); a standalone image, no
    /// backing file. What the backend made for the copy (an RBD snapshot) is removed in every path.
    /// </summary>
    Task ExportRootDiskAsync(RootDiskExport export, CancellationToken cancellationToken);
}

using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Disks.Backends;

/// <summary>
/// images_type = qcow2 (nova/virt/libvirt/imagebackend.py Qcow2): the root disk is a qcow2 overlay
/// on the cached base, with the base's absolute path and explicit format as its backing file,
/// sized to the flavor's root disk (the image's size when the flavor says 0). qemu-img create
/// writes the small overlay in one step; the caller removes it if a later step fails. Ephemeral and
/// swap disks are overlays of their raw templates in the same way.
/// </summary>
public sealed class Qcow2Backend(QemuImg qemuImg) : IImageBackend
{
    public ImageBackendKind Kind => ImageBackendKind.Qcow2;

    public async Task<GuestDisk> CreateRootDiskAsync(RootDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var disk = Path.Join(request.InstanceDirectory, InstanceFiles.RootDisk);
        try
        {
            await qemuImg.CreateOverlayAsync(disk, request.Base.Path, request.Base.Format, request.SizeBytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(disk);
            throw;
        }

        return GuestDisk.File(DiskRole.Root, disk, DiskFormat.Qcow2, request.IsCdrom);
    }

    /// <summary>A qcow2 overlay in the instance directory over the raw template, its backing format explicit (Nova's Qcow2 for ephemeral and swap).</summary>
    public async Task<GuestDisk> CreateExtraDiskAsync(ExtraDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var disk = Path.Join(request.InstanceDirectory, request.DiskName);
        try
        {
            await qemuImg.CreateOverlayAsync(disk, request.TemplatePath, DiskFormat.Raw, request.SizeBytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(disk);
            throw;
        }

        return GuestDisk.File(request.Role, disk, DiskFormat.Qcow2);
    }

    public Task RemoveDisksAsync(Guid instanceId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary><c>qemu-img convert -f qcow2 -O &lt;format&gt; disk target</c>: the overlay and its base read as one, written without backing file.</summary>
    public Task ExportRootDiskAsync(RootDiskExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        return qemuImg.ConvertAsync(
            Path.Join(export.InstanceDirectory, InstanceFiles.RootDisk), DiskFormat.Qcow2, export.TargetPath, export.TargetFormat, progress: null, cancellationToken);
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Disks.Backends;

/// <summary>The steps of a flat root disk, decided from the base and the flavor before anything runs.</summary>
/// <param name="SourceFormat">The base's format, passed to qemu-img convert with -f.</param>
/// <param name="TargetFormat">The copy's format, passed with -O: raw, or qcow2 (without backing file) for a qcow2 base kept by force_raw_images = false.</param>
/// <param name="ResizeToBytes">Grow the copy to this size (the flavor's root disk) when it is larger than the base; null: keep the base's size.</param>
public sealed record FlatDiskPlan(DiskFormat SourceFormat, DiskFormat TargetFormat, long? ResizeToBytes);

/// <summary>
/// images_type = flat, and its old name raw (nova/virt/libvirt/imagebackend.py Flat): the root
/// disk is a full copy of the cached base, without backing file, so it does not depend on the
/// base once made. The copy is raw, or qcow2 when <c>force_raw_images</c> is off and the base is
/// qcow2 (Nova's Flat keeps the base's format and records it in disk.info); it is grown to the
/// flavor's root disk when that is larger. Every qemu-img call names its formats (-f, -O); the
/// copy is written to a temporary name in the instance directory and renamed to <c>disk</c> only
/// when complete, and removed when anything fails.
/// </summary>
public sealed partial class FlatBackend : IImageBackend
{
    private readonly QemuImg _qemuImg;
    private readonly bool _forceRawImages;
    private readonly ILogger _logger;

    /// <param name="forceRawImages"><c>[DEFAULT] force_raw_images</c>.</param>
    public FlatBackend(QemuImg qemuImg, bool forceRawImages, ILogger<FlatBackend>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(qemuImg);
        _qemuImg = qemuImg;
        _forceRawImages = forceRawImages;
        _logger = logger ?? NullLogger<FlatBackend>.Instance;
    }

    public ImageBackendKind Kind => ImageBackendKind.Flat;

    /// <summary>Pure: what the copy will be for a base of <paramref name="baseFormat"/> and <paramref name="baseVirtualSizeBytes"/>.</summary>
    public static FlatDiskPlan Plan(DiskFormat baseFormat, long baseVirtualSizeBytes, long? flavorSizeBytes, bool forceRawImages)
    {
        var target = !forceRawImages && baseFormat == DiskFormat.Qcow2 ? DiskFormat.Qcow2 : DiskFormat.Raw;
        var resize = flavorSizeBytes is { } size && size > baseVirtualSizeBytes ? size : (long?)null;
        return new FlatDiskPlan(baseFormat, target, resize);
    }

    public async Task<GuestDisk> CreateRootDiskAsync(RootDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = Plan(request.Base.Format, request.Base.Info.VirtualSizeBytes, request.SizeBytes, _forceRawImages);
        var disk = Path.Join(request.InstanceDirectory, InstanceFiles.RootDisk);
        var temporary = Path.Join(request.InstanceDirectory, $".{InstanceFiles.RootDisk}.{Guid.NewGuid():N}.part");
        try
        {
            await _qemuImg.ConvertAsync(request.Base.Path, plan.SourceFormat, temporary, plan.TargetFormat, progress: null, cancellationToken).ConfigureAwait(false);
            if (plan.ResizeToBytes is { } size)
            {
                await _qemuImg.ResizeAsync(temporary, plan.TargetFormat, size, cancellationToken).ConfigureAwait(false);
            }

            UnixFiles.SetMode(temporary, UnixFiles.SharedFile);
            File.Move(temporary, disk, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        LogFlatDiskCreated(_logger, disk, request.InstanceLabel, request.Base.Path, plan.SourceFormat.QemuName(), plan.TargetFormat.QemuName(), plan.ResizeToBytes);
        return GuestDisk.File(DiskRole.Root, disk, plan.TargetFormat, request.IsCdrom);
    }

    /// <summary>
    /// A raw copy of the template as <c>disk.local</c> / <c>disk.swap</c> in the instance directory
    /// (<c>qemu-img convert -f raw -O raw</c>, sparse), without backing file. Nova's Flat formats
    /// these disks in place (imagebackend.py Flat.create_image without image_id calls the template's
    /// maker on the disk itself); copying the template made once gives the same bytes with one mkfs
    /// per template.
    /// </summary>
    public async Task<GuestDisk> CreateExtraDiskAsync(ExtraDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var disk = Path.Join(request.InstanceDirectory, request.DiskName);
        var temporary = Path.Join(request.InstanceDirectory, $".{request.DiskName}.{Guid.NewGuid():N}.part");
        try
        {
            await _qemuImg.ConvertAsync(request.TemplatePath, DiskFormat.Raw, temporary, DiskFormat.Raw, progress: null, cancellationToken).ConfigureAwait(false);
            UnixFiles.SetMode(temporary, UnixFiles.SharedFile);
            File.Move(temporary, disk, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        LogFlatDiskCreated(_logger, disk, request.InstanceLabel, request.TemplatePath, "raw", "raw", null);
        return GuestDisk.File(request.Role, disk, DiskFormat.Raw);
    }

    public Task RemoveDisksAsync(Guid instanceId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary><c>qemu-img convert -f &lt;the disk's format from disk.info&gt; -O &lt;format&gt; disk target</c>.</summary>
    public async Task ExportRootDiskAsync(RootDiskExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var disk = Path.Join(export.InstanceDirectory, InstanceFiles.RootDisk);
        var format = await DiskInfoFile.FormatOfAsync(export.InstanceDirectory, disk, cancellationToken).ConfigureAwait(false);
        await _qemuImg.ConvertAsync(disk, format, export.TargetPath, export.TargetFormat, progress: null, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3700, EventName = "FlatRootDiskCreated", Level = LogLevel.Debug,
        Message = "flat root disk {Path} of {Instance} copied from base {Base} ({SourceFormat} to {TargetFormat}), grown to {SizeBytes} bytes (empty: the base's size)")]
    private static partial void LogFlatDiskCreated(ILogger logger, string path, string instance, string @base, string sourceFormat, string targetFormat, long? sizeBytes);
}

using Microsoft.Extensions.Logging;
using Vireo.Configuration.Options;
using Vireo.Storage;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.HostFacts;
using Vireo.Storage.Qemu;

namespace Vireo.Cli.Serve;

/// <summary>
/// The image backend of this service, chosen once from nova.conf (<c>[libvirt] images_type</c>,
/// <c>[DEFAULT] use_cow_images</c>) and, for lvm, the storage facts of this host; the same
/// decision for <c>vireo serve</c> and <c>vireo config check</c>.
/// </summary>
public static class ImageBackendChoice
{
    /// <summary>Reads the host's LVM facts only when lvm is asked for, then decides by <see cref="ImageBackendSelection"/>.</summary>
    public static async Task<ImageBackendDecision> DecideAsync(VireoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var type = options.Libvirt.ImagesTypeName;
        LvmFacts? lvm = null;
        if (string.Equals(type.Trim(), "lvm", StringComparison.Ordinal))
        {
            var request = new StorageFactsRequest(options.Default.InstancesPath, ImagesType.Lvm, options.Libvirt.ImagesVolumeGroup, "", options.Libvirt.ImagesRbdPool);
            lvm = (await StorageFactsReader.ReadAsync(request, "/", StorageFactsReader.SearchPath(), cancellationToken).ConfigureAwait(false)).Lvm;
        }

        return ImageBackendSelection.Decide(new ImageBackendFacts(type, options.Default.UseCowImages, lvm));
    }

    /// <summary>The backend a served decision names.</summary>
    /// <param name="options">nova.conf, for the lvm backend's images_volume_group, volume_clear and volume_clear_size.</param>
    public static IImageBackend Create(ImageBackendKind kind, QemuImg qemuImg, StorageSettings storage, ILoggerFactory loggers, VireoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggers);
        return kind switch
        {
            ImageBackendKind.Qcow2 => new Qcow2Backend(qemuImg),
            ImageBackendKind.Flat => new FlatBackend(qemuImg, storage.ForceRawImages, loggers.CreateLogger<FlatBackend>()),
            ImageBackendKind.Lvm when options is not null => new LvmBackend(
                new LimitedCommandRunner(storage, storage.ConvertLimits), LvmTools.Resolve(storage.QemuImgPath), LvmSettings(options), loggers.CreateLogger<LvmBackend>()),
            _ => throw new InvalidOperationException($"the {kind} image backend is not served; the start-up choice refuses it"),
        };
    }

    /// <summary>The lvm backend's settings: <c>[libvirt] images_volume_group</c>, <c>volume_clear</c>, <c>volume_clear_size</c>.</summary>
    public static LvmSettings LvmSettings(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clear = options.Libvirt.VolumeClear.Trim() switch
        {
            "shred" => VolumeClear.Shred,
            "none" => VolumeClear.None,
            _ => VolumeClear.Zero,
        };
        return new LvmSettings(options.Libvirt.ImagesVolumeGroup ?? "", clear, options.Libvirt.VolumeClearSizeMiB);
    }
}

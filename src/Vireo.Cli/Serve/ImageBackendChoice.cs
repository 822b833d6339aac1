using Microsoft.Extensions.Logging;
using Vireo.Configuration.Options;
using Vireo.Core;
using Vireo.Storage;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.HostFacts;
using Vireo.Storage.Qemu;
using Vireo.Storage.Rbd;

namespace Vireo.Cli.Serve;

/// <summary>
/// The image backend of this service, chosen once from nova.conf (<c>[libvirt] images_type</c>,
/// <c>[DEFAULT] use_cow_images</c>) and, for lvm and rbd, the storage facts of this host; the same
/// decision for <c>vireo serve</c> and <c>vireo config check</c>.
/// </summary>
public static class ImageBackendChoice
{
    /// <summary>Ceph's own default when images_rbd_ceph_conf is empty.</summary>
    public const string DefaultCephConf = "/etc/ceph/ceph.conf";

    /// <summary>Reads the host's LVM or RBD facts only when that backend is asked for, then decides by <see cref="ImageBackendSelection"/>.</summary>
    public static async Task<ImageBackendDecision> DecideAsync(VireoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var type = options.Libvirt.ImagesTypeName;
        LvmFacts? lvm = null;
        RbdBackendFacts? rbd = null;
        if (string.Equals(type.Trim(), "lvm", StringComparison.Ordinal))
        {
            var request = new StorageFactsRequest(options.Default.InstancesPath, ImagesType.Lvm, options.Libvirt.ImagesVolumeGroup, "", options.Libvirt.ImagesRbdPool);
            lvm = (await StorageFactsReader.ReadAsync(request, "/", StorageFactsReader.SearchPath(), cancellationToken).ConfigureAwait(false)).Lvm;
        }
        else if (string.Equals(type.Trim(), "rbd", StringComparison.Ordinal))
        {
            rbd = await ReadRbdFactsAsync(options, cancellationToken).ConfigureAwait(false);
        }

        return ImageBackendSelection.Decide(new ImageBackendFacts(type, options.Default.UseCowImages, lvm, rbd));
    }

    /// <summary>The rbd tool, the monitors of the ceph.conf and the secret uuid.</summary>
    public static async Task<RbdBackendFacts> ReadRbdFactsAsync(VireoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? tool;
        try
        {
            tool = Executables.Resolve("rbd", "ceph-common", "the rbd path");
        }
        catch (VireoException)
        {
            tool = null;
        }

        var conf = CephConf(options);
        string? error;
        if (!Path.IsPathFullyQualified(conf))
        {
            error = "is not an absolute path";
        }
        else if (!File.Exists(conf))
        {
            error = "does not exist";
        }
        else
        {
            try
            {
                error = CephMonHosts.Parse(await File.ReadAllTextAsync(conf, cancellationToken).ConfigureAwait(false)).Error;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"cannot be read ({e.Message.TrimEnd('.')})";
            }
        }

        return new RbdBackendFacts(tool, conf, error, options.Libvirt.RbdSecretUuid);
    }

    /// <summary>The backend a served decision names.</summary>
    /// <param name="options">nova.conf: the lvm backend's images_volume_group and volume_clear*, the rbd backend's images_rbd_* and rbd_*.</param>
    public static IImageBackend Create(ImageBackendKind kind, VireoOptions options, QemuImg qemuImg, StorageSettings storage, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggers);
        return kind switch
        {
            ImageBackendKind.Qcow2 => new Qcow2Backend(qemuImg),
            ImageBackendKind.Flat => new FlatBackend(qemuImg, storage.ForceRawImages, loggers.CreateLogger<FlatBackend>()),
            ImageBackendKind.Lvm => new LvmBackend(
                new LimitedCommandRunner(storage, storage.ConvertLimits), LvmTools.Resolve(storage.QemuImgPath), LvmSettings(options), loggers.CreateLogger<LvmBackend>()),
            ImageBackendKind.Rbd => CreateRbd(options, qemuImg, loggers),
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

    private static RbdBackend CreateRbd(VireoOptions options, QemuImg qemuImg, ILoggerFactory loggers)
    {
        var conf = CephConf(options);
        var monitors = CephMonHosts.Parse(File.ReadAllText(conf));
        var secret = options.Libvirt.RbdSecretUuid
            ?? throw new InvalidOperationException("rbd_secret_uuid is unset; the start-up choice refuses it");

        // Without rbd_user the rbd tool's own default id, admin (as librados uses).
        var client = new RbdClient(new RbdSettings(conf, options.Libvirt.ImagesRbdPool, options.Libvirt.RbdUser ?? "admin"), loggers.CreateLogger<RbdClient>());
        return new RbdBackend(client, qemuImg, new RbdBackendSettings(monitors.Monitors, secret), loggers.CreateLogger<RbdBackend>());
    }

    private static string CephConf(VireoOptions options) =>
        string.IsNullOrWhiteSpace(options.Libvirt.ImagesRbdCephConf) ? DefaultCephConf : options.Libvirt.ImagesRbdCephConf.Trim();
}

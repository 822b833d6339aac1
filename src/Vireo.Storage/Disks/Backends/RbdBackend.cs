using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Qemu;
using Vireo.Storage.Rbd;

namespace Vireo.Storage.Disks.Backends;

/// <summary>How the rbd backend reaches its pool and what it tells libvirt.</summary>
/// <param name="Monitors">The monitors of <c>images_rbd_ceph_conf</c> (<see cref="CephMonHosts"/>).</param>
/// <param name="SecretUuid"><c>[libvirt] rbd_secret_uuid</c>: the libvirt secret with rbd_user's key.</param>
public sealed record RbdBackendSettings(IReadOnlyList<NetworkHost> Monitors, Guid SecretUuid)
{
    /// <summary>How long a create waits for a base that another creator is making.</summary>
    public TimeSpan BaseWait { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Between two looks at that base.</summary>
    public TimeSpan BasePoll { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// images_type = rbd (nova/virt/libvirt/imagebackend.py Rbd, storage/rbd_utils.py): the image's
/// base is imported into <c>images_rbd_pool</c> once, as raw, named after the image id, with a
/// protected snapshot <c>snap</c>; each instance's root disk is a copy-on-write clone of that
/// snapshot named <c>&lt;instance uuid&gt;_disk</c>, grown to the flavor's root disk. The base is
/// imported under a temporary name, snapshotted, protected and only then renamed, so its real
/// name exists only when it can be cloned; the cached base's lease is the per-image lock in this
/// process, and a base another process is making (its name there without a protected snapshot)
/// is waited for until a deadline. The guest reaches the clone through librbd with rbd_user and
/// the libvirt secret rbd_secret_uuid.
/// </summary>
public sealed partial class RbdBackend : IImageBackend
{
    public const string BaseSnapshot = "snap";

    private readonly RbdClient _rbd;
    private readonly QemuImg _qemuImg;
    private readonly RbdBackendSettings _settings;
    private readonly ILogger _logger;
    private readonly BaseDirectoryGates _gates = new();

    public RbdBackend(RbdClient rbd, QemuImg qemuImg, RbdBackendSettings settings, ILogger<RbdBackend>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rbd);
        ArgumentNullException.ThrowIfNull(qemuImg);
        ArgumentNullException.ThrowIfNull(settings);
        _rbd = rbd;
        _qemuImg = qemuImg;
        _settings = settings;
        _logger = logger ?? NullLogger<RbdBackend>.Instance;
    }

    public ImageBackendKind Kind => ImageBackendKind.Rbd;

    /// <summary>The client of the pool this backend makes disks in.</summary>
    public RbdClient Client => _rbd;

    /// <summary>The RBD name of an image's base.</summary>
    public static string BaseName(Guid imageId) => imageId.ToString("D");

    /// <summary>The RBD name of an instance's root disk (Nova's <c>&lt;uuid&gt;_disk</c>).</summary>
    public static string DiskName(Guid instanceId) => instanceId.ToString("D") + "_disk";

    public async Task<GuestDisk> CreateRootDiskAsync(RootDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ImageId == Guid.Empty)
        {
            throw new ArgumentException("the rbd backend needs the image id of the root disk's base", nameof(request));
        }

        var baseName = BaseName(request.ImageId);
        var disk = DiskName(request.InstanceId);
        var source = new BaseSource(request.Base.Path, request.Base.Format, request.InstanceDirectory, $"image {request.ImageId:D}");
        await CloneFromBaseAsync(baseName, source, disk, cancellationToken).ConfigureAwait(false);
        try
        {
            if (request.SizeBytes is { } size && size > request.Base.Info.VirtualSizeBytes)
            {
                await _rbd.ResizeAsync(disk, size, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (failure is VireoException or OperationCanceledException)
        {
            await RemoveQuietlyAsync(disk).ConfigureAwait(false);
            throw;
        }

        LogCloneCreated(_logger, _rbd.Settings.Pool, disk, request.InstanceLabel, baseName, request.SizeBytes);
        return new GuestDisk(DiskRole.Root, Source(disk), DiskFormat.Raw, request.IsCdrom);
    }

    /// <summary>
    /// The flavor's ephemeral or swap disk as <c>&lt;uuid&gt;_disk.local</c> / <c>&lt;uuid&gt;_disk.swap</c>
    /// in the pool (Nova's names). Nova's Rbd imports the template per instance (imagebackend.py
    /// Rbd.create_image, rbd_utils.import_image); here the template is imported once, like an image's
    /// base, under its own name (<c>ephemeral_&lt;GiB&gt;_&lt;hash&gt;</c>, <c>swap_&lt;MiB&gt;</c>) with a
    /// protected snapshot, and each instance's disk is a copy-on-write clone of it: one small metadata
    /// write per instance instead of a copy, and the template is a cache entry the cleaner sees.
    /// </summary>
    public async Task<GuestDisk> CreateExtraDiskAsync(ExtraDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var disk = ExtraDiskName(request.InstanceId, request.DiskName);
        var source = new BaseSource(request.TemplatePath, DiskFormat.Raw, request.InstanceDirectory, $"template {request.TemplateName}");
        await CloneFromBaseAsync(request.TemplateName, source, disk, cancellationToken).ConfigureAwait(false);
        LogCloneCreated(_logger, _rbd.Settings.Pool, disk, request.InstanceLabel, request.TemplateName, null);
        return new GuestDisk(request.Role, Source(disk), DiskFormat.Raw);
    }

    /// <summary>The RBD name of an instance's ephemeral or swap disk: <c>&lt;uuid&gt;_disk.local</c>, <c>&lt;uuid&gt;_disk.swap</c>.</summary>
    public static string ExtraDiskName(Guid instanceId, string diskName) => instanceId.ToString("D") + "_" + diskName;

    /// <summary>
    /// Holds the gate a create takes around making (or finding) a base and cloning it, so the
    /// image cache manager can remove an unused base without a create in this service losing it
    /// between its look and its clone; null when a create holds it now.
    /// </summary>
    public IDisposable? TryHoldBase(string baseName) => _gates.For(baseName) is var gate && gate.Wait(0) ? new GateHold(gate) : null;

    /// <summary>The bases a create holds now.</summary>
    public IReadOnlySet<string> HeldBases() => _gates.Held().ToHashSet(StringComparer.Ordinal);

    private DiskSource.Rbd Source(string disk)
    {
        var settings = _rbd.Settings;
        return new DiskSource.Rbd(settings.Pool, disk, _settings.Monitors, settings.User, _settings.SecretUuid);
    }

    /// <summary>Makes the base when missing and clones <paramref name="disk"/> from its snapshot, under the base's gate.</summary>
    private async Task CloneFromBaseAsync(string baseName, BaseSource source, string disk, CancellationToken cancellationToken)
    {
        var gate = _gates.For(baseName);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureBaseAsync(baseName, source, cancellationToken).ConfigureAwait(false);
            await _rbd.CloneAsync(baseName, BaseSnapshot, disk, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The name of the temporary RBD snapshot a snapshot of a stopped guest reads (one per copy).</summary>
    public static string ExportSnapshotName(string targetPath) => "vireo-export-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(targetPath)))[..16];

    /// <summary>
    /// <c>rbd snap create &lt;uuid&gt;_disk@vireo-export-...</c>, <c>rbd export</c> of it to a raw file
    /// (converted with <c>qemu-img convert -f raw -O qcow2</c> when a qcow2 image is wanted), then,
    /// when the new image's id is known, that image's base made in the pool from the same snapshot
    /// by clone and flatten (<see cref="SeedBaseAsync"/>), and <c>rbd snap rm</c> in every path: the
    /// pool keeps nothing of the copy but the new image's base.
    /// </summary>
    /// <summary>
    /// A running guest's disk is snapshotted by Ceph itself (nova/virt/libvirt/imagebackend.py
    /// Rbd.direct_snapshot): <c>rbd snap create</c> is a point-in-time copy of what the guest has
    /// written to the cluster, so <see cref="ExportRootDiskAsync"/> serves running guests too.
    /// </summary>
    public RunningDiskCopy RunningDiskCopy => RunningDiskCopy.ByStorage;

    public async Task ExportRootDiskAsync(RootDiskExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var disk = DiskName(export.InstanceId);
        var snapshot = ExportSnapshotName(export.TargetPath);
        await _rbd.CreateSnapshotAsync(disk, snapshot, cancellationToken).ConfigureAwait(false);
        var raw = export.TargetFormat == DiskFormat.Raw ? export.TargetPath : export.TargetPath + ".raw";
        var protectedSnapshot = false;
        try
        {
            await _rbd.ExportAsync(disk, snapshot, raw, cancellationToken).ConfigureAwait(false);
            if (raw != export.TargetPath)
            {
                await _qemuImg.ConvertAsync(raw, DiskFormat.Raw, export.TargetPath, export.TargetFormat, progress: null, cancellationToken).ConfigureAwait(false);
            }

            if (export.ImageId != Guid.Empty && await ProtectForSeedAsync(disk, snapshot, export.ImageId, cancellationToken).ConfigureAwait(false))
            {
                protectedSnapshot = true;
                await SeedBaseAsync(export.ImageId, disk, snapshot, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (raw != export.TargetPath)
            {
                File.Delete(raw);
            }

            await RemoveExportSnapshotQuietlyAsync(disk, snapshot, protectedSnapshot).ConfigureAwait(false);
        }
    }

    private async Task RemoveExportSnapshotQuietlyAsync(string disk, string snapshot, bool isProtected)
    {
        try
        {
            if (isProtected)
            {
                // Refused while a clone of it is left (an undo that failed): logged below, removed by hand.
                await _rbd.UnprotectSnapshotAsync(disk, snapshot, CancellationToken.None).ConfigureAwait(false);
            }

            await _rbd.RemoveSnapshotAsync(disk, snapshot, CancellationToken.None).ConfigureAwait(false);
        }
        catch (VireoException failure)
        {
            LogExportSnapshotNotRemoved(_logger, _rbd.Settings.Pool, disk, snapshot, failure.Message);
        }
    }

    /// <summary>Removes every <c>&lt;uuid&gt;_*</c> image of the instance in the pool; none there is fine.</summary>
    public async Task RemoveDisksAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var images = await _rbd.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var image in images.Where(i => OutsideDisk.InstanceIdOf(i) == instanceId))
        {
            try
            {
                await _rbd.RemoveAsync(image, cancellationToken).ConfigureAwait(false);
                LogDiskRemoved(_logger, _rbd.Settings.Pool, image);
            }
            catch (VireoException e) when (e.Kind == ErrorKind.NotFound)
            {
                LogDiskRemoved(_logger, _rbd.Settings.Pool, image);
            }
        }
    }

    /// <summary>Makes the image's base with its protected snapshot unless it is there; waits for one another creator is making.</summary>
    private async Task EnsureBaseAsync(string baseName, BaseSource source, CancellationToken cancellationToken)
    {
        var state = await BaseStateAsync(baseName, cancellationToken).ConfigureAwait(false);
        if (state is BaseState.Ready
            || (state is BaseState.Missing && await ImportBaseAsync(baseName, source, cancellationToken).ConfigureAwait(false)))
        {
            return;
        }

        // Its name is there without a protected snapshot: another creator is between rename and
        // nothing (our own rename is last), or a made base lost its snapshot. Wait with a deadline.
        LogBaseWait(_logger, _rbd.Settings.Pool, baseName, (long)_settings.BaseWait.TotalSeconds);
        var deadline = DateTime.UtcNow + _settings.BaseWait;
        while (await BaseStateAsync(baseName, cancellationToken).ConfigureAwait(false) is not BaseState.Ready)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new VireoException(
                    ErrorKind.Unavailable,
                    $"the RBD base {_rbd.Settings.Pool}/{baseName} of {source.What} has no protected snapshot '{BaseSnapshot}' after {_settings.BaseWait.TotalSeconds:0} s; remove it (rbd rm) so the next create imports it again");
            }

            await Task.Delay(_settings.BasePoll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What a base is imported from: a cached image base or an ephemeral/swap template; <paramref name="What"/> names it in messages.</summary>
    private sealed record BaseSource(string Path, DiskFormat Format, string ScratchDirectory, string What);

    private sealed class GateHold(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    private enum BaseState
    {
        Missing,
        Unready,
        Ready,
    }

    private async Task<BaseState> BaseStateAsync(string baseName, CancellationToken cancellationToken)
    {
        try
        {
            var snapshots = await _rbd.SnapshotsAsync(baseName, cancellationToken).ConfigureAwait(false);
            return snapshots.Any(s => s.Name == BaseSnapshot && s.IsProtected) ? BaseState.Ready : BaseState.Unready;
        }
        catch (VireoException e) when (e.Kind == ErrorKind.NotFound)
        {
            return BaseState.Missing;
        }
    }

    /// <summary>
    /// Import, snapshot, protect under a temporary name, then rename: true when this call made
    /// the base, false when another creator's rename came first (ours is then undone).
    /// </summary>
    private async Task<bool> ImportBaseAsync(string baseName, BaseSource from, CancellationToken cancellationToken)
    {
        var temporary = $"{baseName}-importing-{Guid.NewGuid():N}";
        string? rawCopy = null;
        var protectedSnapshot = false;
        try
        {
            var source = from.Path;
            if (from.Format != DiskFormat.Raw)
            {
                // rbd imports bytes as they are: a qcow2 base (force_raw_images = false) becomes raw first.
                rawCopy = Path.Join(from.ScratchDirectory, $".rbd-base.{Guid.NewGuid():N}.raw");
                await _qemuImg.ConvertAsync(source, from.Format, rawCopy, DiskFormat.Raw, progress: null, cancellationToken).ConfigureAwait(false);
                source = rawCopy;
            }

            await _rbd.ImportAsync(source, temporary, cancellationToken).ConfigureAwait(false);
            await _rbd.CreateSnapshotAsync(temporary, BaseSnapshot, cancellationToken).ConfigureAwait(false);
            await _rbd.ProtectSnapshotAsync(temporary, BaseSnapshot, cancellationToken).ConfigureAwait(false);
            protectedSnapshot = true;
            await _rbd.RenameAsync(temporary, baseName, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException e) when (e.Kind == ErrorKind.Conflict && protectedSnapshot)
        {
            await RemoveBaseQuietlyAsync(temporary, protectedSnapshot).ConfigureAwait(false);
            return false;
        }
        catch (Exception failure) when (failure is VireoException or OperationCanceledException or IOException)
        {
            await RemoveBaseQuietlyAsync(temporary, protectedSnapshot).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (rawCopy is not null)
            {
                File.Delete(rawCopy);
            }
        }

        LogBaseImported(_logger, _rbd.Settings.Pool, baseName, from.Path, from.Format.QemuName());
        return true;
    }

    /// <summary>Undo of a half-made base: unprotect, remove the snapshot, remove the image; whatever is not there is skipped.</summary>
    private async Task RemoveBaseQuietlyAsync(string image, bool isProtected)
    {
        if (isProtected)
        {
            await TryAsync(image, () => _rbd.UnprotectSnapshotAsync(image, BaseSnapshot, CancellationToken.None)).ConfigureAwait(false);
        }

        await TryAsync(image, () => _rbd.RemoveSnapshotAsync(image, BaseSnapshot, CancellationToken.None)).ConfigureAwait(false);
        await TryAsync(image, () => _rbd.RemoveAsync(image, CancellationToken.None)).ConfigureAwait(false);
    }

    private Task RemoveQuietlyAsync(string image) => TryAsync(image, () => _rbd.RemoveAsync(image, CancellationToken.None));

    private async Task TryAsync(string image, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (VireoException e)
        {
            LogUndoFailed(_logger, _rbd.Settings.Pool, image, e.Message);
        }
    }

    [LoggerMessage(EventId = 3900, EventName = "RbdBaseImported", Level = LogLevel.Information,
        Message = "RBD base {Pool}/{Image} imported from {Base} ({Format}) with protected snapshot snap")]
    private static partial void LogBaseImported(ILogger logger, string pool, string image, string @base, string format);

    [LoggerMessage(EventId = 3901, EventName = "RbdRootDiskCloned", Level = LogLevel.Debug,
        Message = "RBD root disk {Pool}/{Image} of {Instance} cloned from {Base}@snap, grown to {SizeBytes} bytes (empty: the base's size)")]
    private static partial void LogCloneCreated(ILogger logger, string pool, string image, string instance, string @base, long? sizeBytes);

    [LoggerMessage(EventId = 3902, EventName = "RbdDiskRemoved", Level = LogLevel.Debug, Message = "RBD disk {Pool}/{Image} removed")]
    private static partial void LogDiskRemoved(ILogger logger, string pool, string image);

    [LoggerMessage(EventId = 3903, EventName = "RbdBaseWait", Level = LogLevel.Information,
        Message = "RBD base {Pool}/{Image} is being made by another creator; waiting up to {Seconds} s for its protected snapshot")]
    private static partial void LogBaseWait(ILogger logger, string pool, string image, long seconds);

    [LoggerMessage(EventId = 3904, EventName = "RbdUndoFailed", Level = LogLevel.Warning,
        Message = "undoing RBD image {Pool}/{Image} failed: {Reason}; remove it with rbd rm")]
    private static partial void LogUndoFailed(ILogger logger, string pool, string image, string reason);

    [LoggerMessage(EventId = 3400, EventName = "RbdExportSnapshotNotRemoved", Level = LogLevel.Error,
        Message = "the temporary snapshot {Pool}/{Disk}@{Snapshot} of a server snapshot could not be removed; remove it with rbd snap rm: {Reason}")]
    private static partial void LogExportSnapshotNotRemoved(ILogger logger, string pool, string disk, string snapshot, string reason);
}

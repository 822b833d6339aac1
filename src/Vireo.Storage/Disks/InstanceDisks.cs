using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Disks;

/// <summary>
/// Nova's instance files: <c>&lt;InstancesPath&gt;/&lt;uuid&gt;/</c> holds the owner file, <c>disk.info</c>,
/// and the console log and agent socket the guest definition puts there; the root disk is made by
/// the configured image backend (<see cref="IImageBackend"/>: a qcow2 overlay on the cached base,
/// or a flat copy of it, both as <c>disk</c> in the directory) from the base this class holds.
/// </summary>
public sealed class InstanceDisks : IInstanceDisks
{
    private readonly StorageSettings _settings;
    private readonly BaseImageCache _bases;
    private readonly IImageBackend _backend;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EphemeralDisks _ephemeral;

    /// <summary>With its own base image cache over <paramref name="images"/>.</summary>
    /// <param name="backend">The image backend making root disks; null: qcow2.</param>
    public InstanceDisks(StorageSettings settings, IImageStore images, QemuImg qemuImg, TimeProvider? timeProvider = null, IImageBackend? backend = null)
        : this(settings, new BaseImageCache(settings, images, qemuImg, timeProvider), qemuImg, timeProvider, backend: backend)
    {
    }

    /// <param name="backend">The image backend making root disks, chosen once from images_type; null: qcow2.</param>
    public InstanceDisks(StorageSettings settings, BaseImageCache bases, QemuImg qemuImg, TimeProvider? timeProvider = null, ILogger<InstanceDisks>? logger = null, IImageBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(qemuImg);
        settings.Validate();
        _settings = settings;
        _bases = bases;
        _backend = backend ?? new Qcow2Backend(qemuImg);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<InstanceDisks>.Instance;
        _ephemeral = new EphemeralDisks(settings, qemuImg, new DiskTemplateCache(settings, _time, _logger, bases.Gates), logger: _logger);
    }

    public string InstanceDirectory(Guid instanceId) => Path.Join(_settings.InstancesPath, instanceId.ToString("D"));

    /// <summary>
    /// Fills (or reuses) the image's base, checks it, and makes the root disk sized to the
    /// flavor (its root disk of 0 GiB means the image's virtual size). On failure it removes
    /// the instance directory if it made it (else the files it made), never the shared base.
    /// </summary>
    /// <exception cref="VireoException">
    /// InvalidInput when the flavor's root disk is smaller than the image or the image cannot
    /// boot yet; Conflict when the instance already has a root disk; Failed when qemu-img fails
    /// or the base fails its safety check.
    /// </exception>
    public async Task<DiskLayout> CreateRootDiskAsync(Instance instance, ImageRecord image, Flavor flavor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(flavor);
        if (image.Status != ImageStatus.Active)
        {
            throw VireoException.Conflict($"{image.Label} is {image.Status.ToGlance()}, not active; wait for it or pick another image");
        }

        // Before filling a base for nothing; checked again against the base itself below.
        if (image.VirtualSizeBytes is { } declaredSize)
        {
            EnsureFits(flavor, image, declaredSize);
        }

        var directory = InstanceDirectory(instance.Id);
        var disk = Path.Join(directory, InstanceFiles.RootDisk);
        var diskInfo = Path.Join(directory, InstanceFiles.DiskInfo);
        var madeDirectory = false;
        var madeFiles = false;
        GuestDisk? root = null;
        try
        {
            var fill = progress is null ? null : new InlineProgress<BaseFillProgress>(p => progress.Report(p.Percent));
            using var lease = await _bases.AcquireAsync(image, fill, cancellationToken).ConfigureAwait(false);
            EnsureFits(flavor, image, lease.Info.VirtualSizeBytes);

            if (!Directory.Exists(directory))
            {
                UnixFiles.CreateDirectory(_settings.InstancesPath, UnixFiles.SharedDirectory);
                UnixFiles.CreateDirectory(directory, UnixFiles.SharedDirectory);
                madeDirectory = true;
                await WriteOwnerAsync(directory, instance.Id, cancellationToken).ConfigureAwait(false);
            }
            else if (File.Exists(disk) || File.Exists(diskInfo))
            {
                throw VireoException.Conflict($"{instance.Label} already has a root disk in {directory}; delete the instance's files first");
            }

            madeFiles = true;
            long? sizeBytes = flavor.RootDiskGiB == 0 ? null : flavor.RootDiskGiB * StorageSettings.BytesPerGiB;

            // Nova's blockinfo: the root of an ISO image is a CD-ROM (on hw_cdrom_bus), made from the
            // cached image like any root disk, and the guest boots from it.
            var isCdrom = image.DiskFormat == DiskFormat.Iso;
            root = await _backend.CreateRootDiskAsync(
                new RootDiskRequest(instance.Id, instance.Label, directory, lease, sizeBytes, isCdrom) { ImageId = image.Id }, cancellationToken).ConfigureAwait(false);
            List<GuestDisk> disks = [root];

            // The flavor's ephemeral and swap disks, after the root disk (vdb, then the next).
            disks.AddRange(await _ephemeral.CreateAsync(_backend, instance.Id, instance.Label, directory, flavor, image, cancellationToken).ConfigureAwait(false));
            await WriteDiskInfoAsync(diskInfo, FileFormats(disks), cancellationToken).ConfigureAwait(false);
            StorageLog.RootDiskCreated(_logger, root.Source.Describe(), instance.Label, lease.Path, lease.Format.QemuName(), sizeBytes);
            return new DiskLayout(directory, disks, ConsoleLogPath(instance.Id));
        }
        catch
        {
            if (root is { Source: not DiskSource.File })
            {
                await UndoOutsideAsync(instance.Id, root).ConfigureAwait(false);
            }

            Undo(directory, madeDirectory, madeFiles ? [disk, diskInfo, .. EphemeralDisks.FilesIn(directory)] : []);
            throw;
        }
    }

    /// <summary>
    /// Removes the disks the image backend keeps elsewhere, then <c>&lt;InstancesPath&gt;/&lt;uuid&gt;/</c>. Idempotent. A symbolic link in its place is
    /// removed as a link; links inside are removed, never followed.
    /// </summary>
    public async Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _backend.RemoveDisksAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var directory = InstanceDirectory(instanceId);
        var entry = new FileInfo(directory);
        if (entry.LinkTarget is not null)
        {
            entry.Delete();
        }
        else if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        else if (entry.Exists)
        {
            entry.Delete();
        }
        else
        {
            return;
        }

        StorageLog.InstanceFilesRemoved(_logger, instanceId, directory);
    }

    /// <summary>The image backend's disks outside instance directories (RBD images, logical volumes); none with qcow2 or flat.</summary>
    public Task<IReadOnlyList<OutsideDisk>> ListOutsideDisksAsync(CancellationToken cancellationToken) => _backend.ListDisksAsync(cancellationToken);

    /// <summary>The instance's disks outside its directory, through the image backend. Idempotent.</summary>
    public Task RemoveOutsideDisksAsync(Guid instanceId, CancellationToken cancellationToken) => _backend.RemoveDisksAsync(instanceId, cancellationToken);

    /// <summary>The tail of <c>&lt;InstancesPath&gt;/&lt;uuid&gt;/console.log</c>; null when there is none (yet, or no more).</summary>
    public Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken) =>
        ConsoleLogTail.ReadAsync(ConsoleLogPath(instanceId), lines, cancellationToken);

    /// <summary>The one place the console log's path is made: the guest definition writes it there, the console read reads it.</summary>
    public string ConsoleLogPath(Guid instanceId) => Path.Join(InstanceDirectory(instanceId), InstanceFiles.ConsoleLog);

    /// <summary>
    /// Instance directories: real directories named by a lowercase uuid (not _base, locks,
    /// snapshots), each with the owner its owner file records (null when it has none or it
    /// cannot be read) and the bytes of its top-level files.
    /// </summary>
    public Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(_settings.InstancesPath))
        {
            return Task.FromResult<IReadOnlyList<InstanceDirectoryEntry>>([]);
        }

        var entries = new DirectoryInfo(_settings.InstancesPath)
            .EnumerateDirectories()
            .Where(entry => entry.LinkTarget is null)
            .Select(entry => ParseInstanceDirectoryName(entry.Name) is { } id
                ? new InstanceDirectoryEntry(id, entry.FullName, InstanceOwnerFile.Read(entry.FullName), InstanceOwnerFile.SizeOf(entry))
                : null)
            .OfType<InstanceDirectoryEntry>()
            .OrderBy(entry => entry.InstanceId)
            .ToList();
        return Task.FromResult<IReadOnlyList<InstanceDirectoryEntry>>(entries);
    }

    /// <summary>The id when <paramref name="name"/> is exactly how this class names a directory.</summary>
    internal static Guid? ParseInstanceDirectoryName(string name) =>
        Guid.TryParseExact(name, "D", out var id) && string.Equals(id.ToString("D"), name, StringComparison.Ordinal) ? id : null;

    public RunningDiskCopy RunningRootDiskCopy => _backend.RunningDiskCopy;

    /// <summary><c>&lt;instance directory&gt;/snapshot-&lt;image id&gt;.part</c>: the hypervisor can write there, and a delete of the instance removes it.</summary>
    public string SnapshotFilePath(Guid instanceId, Guid imageId) =>
        Path.Join(InstanceDirectory(instanceId), "snapshot-" + imageId.ToString("D") + ".part");

    public async Task ExportRootDiskAsync(Guid instanceId, Guid imageId, string targetPath, DiskFormat format, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        var directory = InstanceDirectory(instanceId);
        if (!Directory.Exists(directory))
        {
            throw VireoException.NotFound($"instance {instanceId} has no directory {directory}; it has no disk to copy");
        }

        try
        {
            await _backend.ExportRootDiskAsync(new RootDiskExport(instanceId, directory, targetPath, format) { ImageId = imageId }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(targetPath);
            throw;
        }
    }

    public Task<Stream> OpenSnapshotFileAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 1 << 20,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult(stream);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new VireoException(ErrorKind.NotFound, $"the snapshot file {path} is not there; the copy did not complete", exception);
        }
    }

    public Task RemoveSnapshotFileAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(path);
        File.Delete(path + ".raw");
        return Task.CompletedTask;
    }

    private static void EnsureFits(Flavor flavor, ImageRecord image, long virtualSizeBytes)
    {
        if (flavor.RootDiskGiB != 0 && virtualSizeBytes > flavor.RootDiskGiB * StorageSettings.BytesPerGiB)
        {
            var imageGiB = (double)virtualSizeBytes / StorageSettings.BytesPerGiB;
            throw VireoException.InvalidInput(string.Create(
                CultureInfo.InvariantCulture,
                $"flavor {flavor.Name}'s {flavor.RootDiskGiB} GiB root disk is smaller than image '{image.Name}' ({imageGiB:0.0} GiB); pick a larger flavor"));
        }
    }

    /// <summary>The owner file goes in first, so a directory this installation made is never without one for long.</summary>
    private async Task WriteOwnerAsync(string directory, Guid instanceId, CancellationToken cancellationToken)
    {
        if (_settings.InstallationId is { Length: > 0 } installationId)
        {
            var owner = new OwnerFile(installationId, _settings.Host, instanceId, _time.GetUtcNow());
            await InstanceOwnerFile.WriteAsync(directory, owner, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>disk.info: the format decided for each disk that is a file (LP #1221190).</summary>
    private static Dictionary<string, string> FileFormats(IEnumerable<GuestDisk> disks) =>
        disks.Where(d => d.Source is DiskSource.File)
            .ToDictionary(d => ((DiskSource.File)d.Source).Path, d => d.Format.QemuName(), StringComparer.Ordinal);

    private static async Task WriteDiskInfoAsync(string path, Dictionary<string, string> formats, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        var file = new FileStream(temporary, UnixFiles.CreateNew(UnixFiles.SharedFile));
        await using (file.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(file, formats, DiskInfoJson.Default.DictionaryStringString, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
    }

    /// <summary>A root disk the backend keeps outside the instance directory (a volume, an RBD image) goes with a failed create too.</summary>
    private async Task UndoOutsideAsync(Guid instanceId, GuestDisk root)
    {
        try
        {
            await _backend.RemoveDisksAsync(instanceId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (VireoException exception)
        {
            // Deleting the instance (reconciliation retries it) removes it.
            StorageLog.RootDiskUndoIncomplete(_logger, root.Source.Describe(), exception.Message);
        }
    }

    private void Undo(string directory, bool madeDirectory, IReadOnlyList<string> madeFiles)
    {
        try
        {
            if (madeDirectory)
            {
                Directory.Delete(directory, recursive: true);
                return;
            }

            foreach (var file in madeFiles)
            {
                File.Delete(file);
            }

            File.Delete(Path.Join(directory, InstanceFiles.DiskInfo + ".tmp"));
            File.Delete(Path.Join(directory, InstanceFiles.Owner + ".tmp"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The caller's own undo (DeleteInstanceFilesAsync) tries again.
            StorageLog.RootDiskUndoIncomplete(_logger, directory, exception.Message);
        }
    }
}

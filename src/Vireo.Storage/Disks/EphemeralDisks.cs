using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Disks;

/// <summary>
/// The flavor's ephemeral and swap disks (nova/virt/libvirt/driver.py <c>_create_image</c>): in the
/// instance directory, <c>disk.local</c> (the flavor's ephemeral disk, formatted as
/// <see cref="EphemeralTemplates.ChooseFileSystem"/> decides, labelled <c>ephemeral0</c>) and
/// <c>disk.swap</c>, each made by the image backend from its template in the base cache
/// (<see cref="DiskTemplateCache"/>; <see cref="IImageBackend.CreateExtraDiskAsync"/>: a qcow2 overlay,
/// a raw copy, a logical volume or an RBD clone); only when the flavor's size is above 0.
/// </summary>
public sealed partial class EphemeralDisks
{
    /// <summary>The flavor's ephemeral disk in the instance directory (Nova's <c>disk.local</c>; <c>disk.eph&lt;N&gt;</c> are block device mapping ephemerals).</summary>
    public const string EphemeralFile = "disk.local";

    /// <summary>The swap disk in the instance directory.</summary>
    public const string SwapFile = "disk.swap";

    private const long BytesPerMiB = 1L << 20;

    private readonly StorageSettings _settings;
    private readonly DiskTemplateCache _templates;
    private readonly ILogger _logger;

    public EphemeralDisks(StorageSettings settings, QemuImg qemuImg, DiskTemplateCache? templates = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(qemuImg);
        _settings = settings;
        _logger = logger ?? NullLogger.Instance;
        _templates = templates ?? new DiskTemplateCache(settings, timeProvider, _logger);
    }

    /// <summary>The template cache behind the disks.</summary>
    public DiskTemplateCache Templates => _templates;

    /// <summary>The files <see cref="CreateAsync"/> may make in an instance directory, for an undo.</summary>
    public static IReadOnlyList<string> FilesIn(string instanceDirectory) =>
        [Path.Join(instanceDirectory, EphemeralFile), Path.Join(instanceDirectory, SwapFile)];

    /// <summary>The templates a flavor and image need: ephemeral first, then swap; none for sizes of 0.</summary>
    public IReadOnlyList<(DiskRole Role, string File, DiskTemplate Template)> Plan(Flavor flavor, ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(image);
        var plan = new List<(DiskRole, string, DiskTemplate)>();
        if (flavor.EphemeralGiB > 0)
        {
            var choice = EphemeralTemplates.ChooseFileSystem(_settings.DefaultEphemeralFormat, image.Properties);
            plan.Add((DiskRole.Ephemeral, EphemeralFile, new DiskTemplate(
                EphemeralTemplates.EphemeralTemplateName(flavor.EphemeralGiB, choice.FileSystem),
                flavor.EphemeralGiB * StorageSettings.BytesPerGiB,
                EphemeralTemplates.FormatEphemeral(choice, EphemeralTemplates.Label))));
        }

        if (flavor.SwapMiB > 0)
        {
            plan.Add((DiskRole.Swap, SwapFile, new DiskTemplate(
                EphemeralTemplates.SwapTemplateName(flavor.SwapMiB), flavor.SwapMiB * BytesPerMiB, EphemeralTemplates.FormatSwap())));
        }

        return plan;
    }

    /// <summary>
    /// Makes the flavor's ephemeral and swap disks from their templates through the image backend
    /// that made the root disk (a file in <paramref name="instanceDirectory"/>, a logical volume or
    /// an RBD image, as the backend keeps disks) and returns them, ephemeral first; none when the
    /// flavor asks for none. On failure it removes the files it made, never a template; disks a
    /// backend keeps elsewhere go with the backend's own removal of the instance's disks.
    /// </summary>
    /// <exception cref="VireoException">
    /// InvalidInput for a file system Vireo cannot make; Conflict when a disk is already there;
    /// Failed when mkfs, mkswap, qemu-img or the backend's tool fails; Configuration when a program is missing.
    /// </exception>
    public async Task<IReadOnlyList<GuestDisk>> CreateAsync(
        IImageBackend backend, Guid instanceId, string instanceLabel, string instanceDirectory, Flavor flavor, ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceDirectory);
        var plan = Plan(flavor, image);
        var made = new List<GuestDisk>();
        try
        {
            foreach (var (role, file, template) in plan)
            {
                var path = Path.Join(instanceDirectory, file);
                if (File.Exists(path))
                {
                    throw VireoException.Conflict($"{path} is already there; delete the instance's files first");
                }

                using var lease = await _templates.AcquireAsync(template, cancellationToken).ConfigureAwait(false);
                var disk = await backend.CreateExtraDiskAsync(
                    new ExtraDiskRequest(instanceId, instanceLabel, instanceDirectory, role, file, template.Name, lease.Path, template.SizeBytes), cancellationToken).ConfigureAwait(false);
                made.Add(disk);
                LogDiskCreated(_logger, disk.Source.Describe(), role, lease.Path);
            }

            return made;
        }
        catch
        {
            Undo(made);
            throw;
        }
    }

    private void Undo(List<GuestDisk> made)
    {
        foreach (var disk in made)
        {
            if (disk.Source is not DiskSource.File file)
            {
                continue;
            }

            try
            {
                File.Delete(file.Path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The caller removes the instance directory it made, or its delete does.
                LogUndoIncomplete(_logger, file.Path, exception.Message);
            }
        }
    }

    [LoggerMessage(EventId = 3753, EventName = "EphemeralDiskCreated", Level = LogLevel.Debug, Message = "made {Role} disk {Path} from template {Template}")]
    private static partial void LogDiskCreated(ILogger logger, string path, DiskRole role, string template);

    [LoggerMessage(EventId = 3754, EventName = "EphemeralDiskUndoIncomplete", Level = LogLevel.Warning, Message = "could not remove {Path} after a failed create: {Reason}")]
    private static partial void LogUndoIncomplete(ILogger logger, string path, string reason);
}

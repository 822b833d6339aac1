namespace Vireo.Core.Ports;

/// <summary>The per-instance files on this host (disks, console log, sockets).</summary>
public interface IInstanceDisks
{
    /// <summary>
    /// Makes the instance directory and its root disk from the image (plus ephemeral and
    /// swap disks when the flavor asks). On failure it removes what it made itself.
    /// </summary>
    /// <param name="progress">Receives the step's progress in percent (0-100) while a long part runs (filling and converting the image's cached base).</param>
    Task<DiskLayout> CreateRootDiskAsync(Instance instance, ImageRecord image, Flavor flavor, IProgress<int>? progress, CancellationToken cancellationToken);

    /// <summary>Removes the instance directory and everything in it. Idempotent.</summary>
    Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// The last <paramref name="lines"/> lines of the instance's serial console log (all of it
    /// when null; at most the last MiB), or null when there is no log: not written yet, or
    /// removed by a delete since the caller looked the server up.
    /// </summary>
    Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken);

    /// <summary>The instance directories present, each with the owner its owner file records, for reconciliation.</summary>
    Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every disk the image backend holds outside instance directories (RBD images, logical
    /// volumes named <c>&lt;uuid&gt;_*</c>), whoever made it; the backend's bases are not among them.
    /// Empty for the file backends, which keep every disk in the instance directory.
    /// </summary>
    Task<IReadOnlyList<OutsideDisk>> ListOutsideDisksAsync(CancellationToken cancellationToken);

    /// <summary>Removes the instance's disks outside its directory (those <see cref="ListOutsideDisksAsync"/> lists for it). Idempotent.</summary>
    Task RemoveOutsideDisksAsync(Guid instanceId, CancellationToken cancellationToken);
    /// <summary>How the root disk of a running guest is copied for a snapshot here, or why it cannot be.</summary>
    RunningDiskCopy RunningRootDiskCopy { get; }

    /// <summary>
    /// Where a snapshot of the instance's root disk is written before it goes into the image store:
    /// a temporary file in the instance directory, which the hypervisor can write. Not made yet.
    /// </summary>
    string SnapshotFilePath(Guid instanceId, Guid imageId);

    /// <summary>
    /// Copies the root disk of a guest that is not running to <paramref name="targetPath"/> (a
    /// <see cref="SnapshotFilePath"/>) in <paramref name="format"/>, reading it with its own format
    /// named. Nothing is left at the target on failure. <paramref name="imageId"/> is the new image's
    /// id: a backend that keeps images' bases outside the file store (rbd) may make that image's base
    /// from the same copy.
    /// </summary>
    Task ExportRootDiskAsync(Guid instanceId, Guid imageId, string targetPath, DiskFormat format, CancellationToken cancellationToken);

    /// <summary>Opens a snapshot file for reading; NotFound when it is not there.</summary>
    Task<Stream> OpenSnapshotFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Removes a snapshot file. Idempotent.</summary>
    Task RemoveSnapshotFileAsync(string path, CancellationToken cancellationToken);
}

/// <summary>
/// Who made an instance directory, as its owner file records it: only directories this
/// installation made on this host can ever be removed by reconciliation.
/// </summary>
public sealed record DirectoryOwner(string InstallationId, string Host, Guid InstanceId, DateTimeOffset CreatedAt)
{
    /// <summary>True when this installation on this host made the directory of <paramref name="instanceId"/>.</summary>
    public bool Is(string installationId, string host, Guid instanceId) =>
        string.Equals(InstallationId, installationId, StringComparison.Ordinal)
        && string.Equals(Host, host, StringComparison.Ordinal)
        && InstanceId == instanceId;
}

/// <summary>One instance directory: its id (its name), where it is, its owner (null: no readable owner file) and the bytes of its files.</summary>
public sealed record InstanceDirectoryEntry(Guid InstanceId, string Path, DirectoryOwner? Owner, long? SizeBytes = null);

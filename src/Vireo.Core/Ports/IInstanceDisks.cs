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

    /// <summary>Ids of the instance directories present, for reconciliation.</summary>
    Task<IReadOnlyList<Guid>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken);
}

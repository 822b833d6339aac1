namespace Vireo.Core.Reconciliation;

/// <summary>
/// A quarantined orphan: a guest of this installation, an instance directory this installation
/// made on this host and/or disks named after the id outside any instance directory (RBD images,
/// logical volumes: these could be another installation's sharing the pool or volume group), with no row at all.
/// </summary>
/// <param name="GuestState">The guest's power state; null when there is no guest.</param>
/// <param name="DirectoryPath">The instance directory; null when there is none.</param>
/// <param name="DirectorySizeBytes">The bytes of the directory's files, when known.</param>
public sealed record Orphan(Guid InstanceId, OrphanKind Kind, PowerState? GuestState, string? DirectoryPath, long? DirectorySizeBytes)
{
    /// <summary>Its disks outside any instance directory, by name.</summary>
    public IReadOnlyList<Ports.OutsideDisk> Disks { get; init; } = [];


    /// <summary>The orphan <paramref name="quarantine"/> names, with its details from <paramref name="facts"/>.</summary>
    public static Orphan Of(QuarantineOrphan quarantine, ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(quarantine);
        ArgumentNullException.ThrowIfNull(facts);
        var guest = facts.Guests.FirstOrDefault(guest => guest.InstanceId == quarantine.InstanceId);
        var directory = quarantine.HasDirectory
            ? facts.InstanceDirectories.FirstOrDefault(entry => entry.InstanceId == quarantine.InstanceId && facts.Owns(entry))
            : null;
        var disks = facts.OutsideDisks.Where(disk => disk.InstanceId == quarantine.InstanceId).OrderBy(disk => disk.Name, StringComparer.Ordinal).ToArray();
        return new Orphan(quarantine.InstanceId, quarantine.Kind, guest?.PowerState, directory?.Path, directory?.SizeBytes)
        {
            // The shared empty list when there are none, so orphans without outside disks compare equal.
            Disks = disks.Length == 0 ? [] : disks,
        };
    }
}

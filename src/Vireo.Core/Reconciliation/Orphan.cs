namespace Vireo.Core.Reconciliation;

/// <summary>
/// A quarantined orphan: a guest of this installation and/or an instance directory this
/// installation made on this host, with no row at all.
/// </summary>
/// <param name="GuestState">The guest's power state; null when there is no guest.</param>
/// <param name="DirectoryPath">The instance directory; null when there is none.</param>
/// <param name="DirectorySizeBytes">The bytes of the directory's files, when known.</param>
public sealed record Orphan(Guid InstanceId, OrphanKind Kind, PowerState? GuestState, string? DirectoryPath, long? DirectorySizeBytes)
{
    /// <summary>The orphan <paramref name="quarantine"/> names, with its details from <paramref name="facts"/>.</summary>
    public static Orphan Of(QuarantineOrphan quarantine, ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(quarantine);
        ArgumentNullException.ThrowIfNull(facts);
        var guest = facts.Guests.FirstOrDefault(guest => guest.InstanceId == quarantine.InstanceId);
        var directory = quarantine.HasDirectory
            ? facts.InstanceDirectories.FirstOrDefault(entry => entry.InstanceId == quarantine.InstanceId && facts.Owns(entry))
            : null;
        return new Orphan(quarantine.InstanceId, quarantine.Kind, guest?.PowerState, directory?.Path, directory?.SizeBytes);
    }
}

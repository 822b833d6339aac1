namespace Vireo.DomainXml;

/// <summary>
/// Vireo's entry in the domain's <c>&lt;metadata&gt;</c>. The installation id is how
/// reconciliation recognises its own domains on a libvirtd other software shares.
/// </summary>
public sealed record VireoMetadata(
    string InstallationId,
    Guid? InstanceId = null,
    string? DisplayName = null,
    VireoFlavor? Flavor = null,
    string? ImageId = null,
    DateTimeOffset? CreatedAt = null);

/// <summary>The flavor the guest was built from, as it was at build time.</summary>
public sealed record VireoFlavor(string Name, int Vcpus, long MemoryMiB, long RootGiB);

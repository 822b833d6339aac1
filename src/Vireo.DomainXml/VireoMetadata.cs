namespace Vireo.DomainXml;

/// <summary>
/// Vireo's entry in the domain's <c>&lt;metadata&gt;</c>. The installation id is how
/// reconciliation recognises its own domains on a libvirtd other software shares.
/// </summary>
/// <param name="CpuMode">
/// The [libvirt] cpu_mode the guest was built with (host-model, host-passthrough, custom, none):
/// libvirt's stored definition cannot tell, because it fills a model-less <c>&lt;cpu&gt;</c> (Nova's
/// none) with its default model (qemu64 on x86) when the domain is defined.
/// </param>
public sealed record VireoMetadata(
    string InstallationId,
    Guid? InstanceId = null,
    string? DisplayName = null,
    VireoFlavor? Flavor = null,
    string? ImageId = null,
    DateTimeOffset? CreatedAt = null,
    string? CpuMode = null);

/// <summary>The flavor the guest was built from, as it was at build time.</summary>
public sealed record VireoFlavor(string Name, int Vcpus, long MemoryMiB, long RootGiB);

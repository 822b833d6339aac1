namespace Vireo.Core;

/// <summary>
/// The CPU a guest really got when its QEMU process last started, as libvirt reports it in the
/// running domain (host-model is expanded there into a named model plus feature policies). Kept
/// with the instance for migration checks: Nova stores the CPU it asked for
/// (<c>instance.vcpu_model</c>), which for host-model says nothing about what the guest runs with.
/// </summary>
/// <param name="RequestedMode">The mode the guest was defined with: host-model, host-passthrough, custom or none.</param>
/// <param name="Mode">The mode of the running CPU: custom once libvirt expanded host-model; host-passthrough stays as it is.</param>
/// <param name="Model">The named model the guest runs with; null for host-passthrough.</param>
/// <param name="Vendor">The vendor libvirt wrote (host-model gives one), or null.</param>
/// <param name="Features">The features listed with their policies (require, disable...), sorted by name.</param>
/// <param name="Virtualization">Whether vmx or svm reaches the guest, i.e. whether it can run its own KVM guests.</param>
public sealed record EffectiveGuestCpu(
    string RequestedMode,
    string Mode,
    string? Model,
    string? Vendor,
    IReadOnlyList<GuestCpuFeature> Features,
    GuestVirtualization Virtualization,
    DateTimeOffset RecordedAt);

/// <param name="Policy">libvirt's policy word: force, require, optional, disable or forbid.</param>
public sealed record GuestCpuFeature(string Name, string Policy);

/// <param name="Exposed">True when the guest CPU carries vmx or svm; null when the XML cannot tell (host-passthrough: the host's own CPU).</param>
/// <param name="Feature">vmx or svm when exposed.</param>
/// <param name="Reason">One sentence saying where the answer comes from.</param>
public sealed record GuestVirtualization(bool? Exposed, string? Feature, string Reason);

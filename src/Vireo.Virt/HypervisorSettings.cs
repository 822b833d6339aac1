using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.Virt;

/// <summary>
/// What the libvirt driver needs from the configuration, as plain values. The composition root
/// maps nova.conf onto it (<c>[libvirt] connection_uri, virt_type, hw_machine_type, cpu_mode,
/// cpu_models, cpu_model_extra_flags, mem_stats_period_seconds</c>); nothing here reads files.
/// </summary>
public sealed record HypervisorSettings
{
    public const string DefaultConnectionUri = "qemu:///system";

    /// <summary>Nova's <c>[libvirt] connection_uri</c>; empty in nova.conf means the virt type's default, which is this.</summary>
    public string ConnectionUri { get; init; } = DefaultConnectionUri;

    /// <summary><c>[libvirt] virt_type</c>: the domain type every guest gets. Use Qemu on hosts without working KVM.</summary>
    public DomainType VirtType { get; init; } = DomainType.Kvm;

    /// <summary>Written into every domain's metadata; only domains carrying it are this installation's.</summary>
    public required string InstallationId { get; init; }

    /// <summary>The guest architecture (the host's; Vireo does not emulate foreign architectures).</summary>
    public string Arch { get; init; } = "x86_64";

    /// <summary><c>[libvirt] hw_machine_type</c> for <see cref="Arch"/>; null uses the per-arch default (see <see cref="EffectiveMachineType"/>).</summary>
    public string? MachineType { get; init; }

    /// <summary><c>[libvirt] mem_stats_period_seconds</c>; 0 turns the balloon off (<c>model='none'</c>).</summary>
    public int MemStatsPeriodSeconds { get; init; } = 10;

    /// <summary><c>[libvirt] cpu_mode</c>; null resolves as Nova does (see <see cref="EffectiveCpuMode"/>).</summary>
    public CpuMode? CpuMode { get; init; }

    /// <summary><c>[libvirt] cpu_models</c>, in order of preference; custom mode uses the first.</summary>
    public IReadOnlyList<string> CpuModels { get; init; } = [];

    /// <summary><c>[libvirt] cpu_model_extra_flags</c>: <c>flag</c> or <c>+flag</c> requires it, <c>-flag</c> disables it.</summary>
    public IReadOnlyList<string> CpuExtraFlags { get; init; } = [];

    /// <summary>
    /// Disk cache mode: Nova uses <c>none</c> when the instances directory supports O_DIRECT and
    /// <see cref="DiskCache.Writeback"/> otherwise (<c>LibvirtDriver.disk_cachemode</c>). tmpfs has
    /// no O_DIRECT: with <c>none</c> QEMU fails to open the disk there.
    /// </summary>
    public DiskCache DiskCacheMode { get; init; } = DiskCache.None;

    /// <summary>Nova's per-arch default machine type (<c>pc</c> on x86) when none is configured.</summary>
    public string? EffectiveMachineType => MachineType ?? Arch switch
    {
        "x86_64" or "i686" => "pc",
        "aarch64" or "armv7l" => "virt",
        "s390x" => "s390-ccw-virtio",
        _ => null,
    };

    /// <summary>Nova resolves an unset cpu_mode to host-model for kvm/qemu on x86 (and AArch64, where it is host-passthrough).</summary>
    public CpuMode EffectiveCpuMode => CpuModes.Effective(CpuMode, Arch);
}

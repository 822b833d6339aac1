using Vireo.Core;

namespace Vireo.Configuration.Options;

/// <summary>[libvirt].</summary>
public sealed record LibvirtOptions
{
    public VirtType VirtType { get; init; } = VirtType.Kvm;

    /// <summary>Null: the local system daemon (see <see cref="EffectiveConnectionUri"/>).</summary>
    public string? ConnectionUri { get; init; }

    public string EffectiveConnectionUri => string.IsNullOrEmpty(ConnectionUri) ? "qemu:///system" : ConnectionUri;

    /// <summary>Null: chosen at run time (host-model, or host-passthrough on AArch64).</summary>
    public CpuMode? CpuMode { get; init; }

    /// <summary>Oldest first, as written (libvirt's spelling is resolved against the host later).</summary>
    public IReadOnlyList<string> CpuModels { get; init; } = [];

    /// <summary>Lower-cased, duplicates removed, in the order written.</summary>
    public IReadOnlyList<CpuFeatureFlag> CpuModelExtraFlags { get; init; } = [];

    /// <summary>Architecture (e.g. x86_64) to machine type (e.g. q35); empty: built-in defaults.</summary>
    public IReadOnlyDictionary<string, string> HwMachineType { get; init; } = new Dictionary<string, string>();

    public int MemStatsPeriodSeconds { get; init; } = 10;

    public ImagesType ImagesType { get; init; } = ImagesType.Qcow2;

    /// <summary><c>images_type</c> as written (default, qcow2, flat, raw, lvm, rbd): the image backend is chosen from it once, at start.</summary>
    public string ImagesTypeName { get; init; } = "default";

    public string? ImagesVolumeGroup { get; init; }

    /// <summary><c>volume_clear</c> as written: zero, shred or none.</summary>
    public string VolumeClear { get; init; } = "zero";

    /// <summary><c>volume_clear_size</c> in MiB; 0: the whole volume.</summary>
    public int VolumeClearSizeMiB { get; init; }

    public string ImagesRbdPool { get; init; } = "rbd";

    public string ImagesRbdCephConf { get; init; } = "";

    public string? RbdUser { get; init; }

    public Guid? RbdSecretUuid { get; init; }

    /// <summary>Disk source type (file, block, network) to libvirt cache mode.</summary>
    public IReadOnlyDictionary<string, string> DiskCachemodes { get; init; } = new Dictionary<string, string>();

    public DiskDiscard? HwDiskDiscard { get; init; }

    public LiveMigrationOptions LiveMigration { get; init; } = new();
}

/// <summary>The live_migration_* options of [libvirt].</summary>
public sealed record LiveMigrationOptions
{
    public string? Uri { get; init; }

    public string? Scheme { get; init; }

    public string? InboundAddress { get; init; }

    public bool Tunnelled { get; init; }

    public bool PermitAutoConverge { get; init; }

    public bool PermitPostCopy { get; init; }

    /// <summary>Seconds per GiB of data to transfer; 0: no limit.</summary>
    public int CompletionTimeoutSecondsPerGiB { get; init; } = 800;

    public int DowntimeMilliseconds { get; init; } = 500;
}

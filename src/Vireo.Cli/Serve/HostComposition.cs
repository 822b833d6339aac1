using Vireo.Configuration.Options;
using Vireo.Core.Compute;
using Vireo.Core.ImageCache;
using DiskCache = Vireo.DomainXml.DiskCache;
using DomainType = Vireo.DomainXml.DomainType;
using CpuFeaturePolicy = Vireo.Configuration.Options.CpuFeaturePolicy;
using Vireo.Storage;
using Vireo.Virt;

namespace Vireo.Cli.Serve;

/// <summary>Maps the validated nova.conf onto each component's plain settings (the only place that knows both).</summary>
public static class HostComposition
{
    public static HypervisorSettings Hypervisor(VireoOptions options, string installationId, DiskCache cacheMode)
    {
        ArgumentNullException.ThrowIfNull(options);
        var libvirt = options.Libvirt;
        return new HypervisorSettings
        {
            ConnectionUri = libvirt.EffectiveConnectionUri,
            VirtType = libvirt.VirtType == VirtType.Qemu ? DomainType.Qemu : DomainType.Kvm,
            InstallationId = installationId,
            MachineType = MachineTypeFor(libvirt, "x86_64"),
            MemStatsPeriodSeconds = libvirt.MemStatsPeriodSeconds,
            CpuMode = libvirt.CpuMode,
            CpuModels = libvirt.CpuModels,
            CpuExtraFlags = [.. libvirt.CpuModelExtraFlags.Select(f => (f.Policy == CpuFeaturePolicy.Disable ? "-" : "+") + f.Name)],
            DiskCacheMode = cacheMode,
        };
    }

    /// <param name="installationId">Written with the host into each instance directory's owner file.</param>
    public static StorageSettings Storage(VireoOptions options, string? installationId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StorageSettings(options.Default.StatePath, options.Default.InstancesPath)
        {
            InstallationId = installationId,
            Host = HostName(options),
            BaseSubdirectory = options.ImageCache.SubdirectoryName,
            ForceRawImages = options.Default.ForceRawImages,
            DefaultEphemeralFormat = options.Default.DefaultEphemeralFormat,
            VmdkAllowedTypes = options.Compute.VmdkAllowedTypes,
            ImageSizeCapBytes = options.Image.ImageSizeCapBytes,
            ImagePropertyQuota = options.Image.ImagePropertyQuota,
            MaxConcurrentUploads = options.Image.MaxConcurrentUploads,
        };
    }

    /// <summary>The cache manager's removal rules from <c>[image_cache]</c>.</summary>
    public static ImageCacheRules ImageCacheRules(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cache = options.ImageCache;
        return new ImageCacheRules(
            cache.RemoveUnusedBaseImages,
            TimeSpan.FromSeconds(cache.RemoveUnusedOriginalMinimumAgeSeconds),
            TimeSpan.FromSeconds(cache.RemoveUnusedResizedMinimumAgeSeconds));
    }

    /// <summary>
    /// <c>[image_cache] manager_interval</c> as Nova documents it: seconds between passes, 0 the
    /// default periodic interval (60 s), a negative value never (null).
    /// </summary>
    public static TimeSpan? ImageCacheInterval(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ImageCache.ManagerIntervalSeconds switch
        {
            < 0 => null,
            0 => DefaultPeriodicInterval,
            var seconds => TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>
    /// <c>[DEFAULT] instance_delete_interval</c> as Nova documents it: seconds between pending-delete
    /// passes, 0 the default periodic interval (60 s), a negative value never (null).
    /// </summary>
    public static TimeSpan? PendingDeleteInterval(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Default.InstanceDeleteIntervalSeconds switch
        {
            < 0 => null,
            0 => DefaultPeriodicInterval,
            var seconds => TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>Nova's default periodic task spacing (oslo.service), used when manager_interval is 0.</summary>
    public static readonly TimeSpan DefaultPeriodicInterval = TimeSpan.FromSeconds(60);

    public static ComputeServiceOptions Compute(VireoOptions options, string installationId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ComputeServiceOptions(HostName(options)) { InstallationId = installationId, DefaultProjectId = options.Vireo.DefaultProjectId };
    }

    /// <summary>This compute host's name: <c>[DEFAULT] host</c>, else the machine's name.</summary>
    public static string HostName(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Default.Host ?? Environment.MachineName;
    }

    /// <summary>The SQLite file: [database] connection, or state_path/vireo.sqlite when it names another engine.</summary>
    public static string DatabasePath(VireoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Database.SqlitePath ?? Path.Combine(options.Default.StatePath, "vireo.sqlite");
    }

    private static string? MachineTypeFor(LibvirtOptions libvirt, string arch) =>
        libvirt.HwMachineType.TryGetValue(arch, out var machine) ? machine : null;
}

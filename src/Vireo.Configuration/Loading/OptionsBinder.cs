using System.Net;
using Vireo.Configuration.Options;
using Vireo.Core;
using D = Vireo.Configuration.Catalogue.NovaOptions.Default;
using L = Vireo.Configuration.Catalogue.NovaOptions.Libvirt;
using N = Vireo.Configuration.Catalogue.NovaOptions;

namespace Vireo.Configuration.Loading;

/// <summary>Builds the typed, immutable option records from values that passed every check.</summary>
internal static class OptionsBinder
{
    public static VireoOptions Bind(ResolvedValues v, string fallbackDatabase) => new(
        BindDefault(v),
        BindLibvirt(v),
        new ImageCacheOptions
        {
            ManagerIntervalSeconds = Int(v, N.ImageCache.ManagerInterval),
            SubdirectoryName = v.String(N.ImageCache.SubdirectoryName) ?? "_base",
            RemoveUnusedBaseImages = v.Bool(N.ImageCache.RemoveUnusedBaseImages),
            RemoveUnusedOriginalMinimumAgeSeconds = Int(v, N.ImageCache.RemoveUnusedOriginalMinimumAgeSeconds),
            RemoveUnusedResizedMinimumAgeSeconds = Int(v, N.ImageCache.RemoveUnusedResizedMinimumAgeSeconds),
        },
        new ComputeOptions { VmdkAllowedTypes = v.List(N.Compute.VmdkAllowedTypes) },
        new ImageOptions
        {
            ImageSizeCapBytes = v.Int(N.Image.ImageSizeCap) ?? N.Image.DefaultImageSizeCapBytes,
            ImagePropertyQuota = Int(v, N.Image.ImagePropertyQuota),
            MaxConcurrentUploads = Int(v, N.Image.MaxConcurrentUploads),
        },
        BindDatabase(v, fallbackDatabase),
        new KeystoneAuthTokenOptions
        {
            WwwAuthenticateUri = v.String(N.KeystoneAuthToken.WwwAuthenticateUri),
            AuthUrl = v.String(N.KeystoneAuthToken.AuthUrl),
            AuthType = v.String(N.KeystoneAuthToken.AuthType),
            Username = v.String(N.KeystoneAuthToken.Username),
            Password = v.String(N.KeystoneAuthToken.Password),
            UserDomainName = v.String(N.KeystoneAuthToken.UserDomainName),
            ProjectName = v.String(N.KeystoneAuthToken.ProjectName),
            ProjectDomainName = v.String(N.KeystoneAuthToken.ProjectDomainName),
            UserDomainId = v.String(N.KeystoneAuthToken.UserDomainId),
            ProjectDomainId = v.String(N.KeystoneAuthToken.ProjectDomainId),
            RegionName = v.String(N.KeystoneAuthToken.RegionName),
            MemcachedServers = v.List(N.KeystoneAuthToken.MemcachedServers),
            TokenCacheTimeSeconds = Int(v, N.KeystoneAuthToken.TokenCacheTime),
            HttpConnectTimeoutSeconds = Int(v, N.KeystoneAuthToken.HttpConnectTimeout),
        },
        new VireoSectionOptions
        {
            InstallationId = v.String(N.Vireo.InstallationId),
            AllowedHosts = v.List(N.Vireo.AllowedHosts),
            AllowUnauthenticatedRemoteApi = v.Bool(N.Vireo.AllowUnauthenticatedRemoteApi),
            DefaultProjectId = v.String(N.Vireo.DefaultProjectId) ?? "admin",
        });

    private static DefaultOptions BindDefault(ResolvedValues v) => new()
    {
        ComputeDriver = v.String(D.ComputeDriver)!,
        Host = NullIfEmpty(v.String(D.Host)),
        MyIp = v[D.MyIp].Typed as IPAddress,
        StatePath = v.String(D.StatePath)!,
        InstancesPath = v.String(D.InstancesPath)!,
        UseCowImages = v.Bool(D.UseCowImages),
        ForceRawImages = v.Bool(D.ForceRawImages),
        PreallocateImages = v.String(D.PreallocateImages) == "space" ? PreallocateImages.Space : PreallocateImages.None,
        DefaultEphemeralFormat = NullIfEmpty(v.String(D.DefaultEphemeralFormat)),
        VirtMkfs = Pairs(v.List(D.VirtMkfs)),
        OsapiComputeListen = v.String(D.OsapiComputeListen)!,
        OsapiComputeListenPort = Int(v, D.OsapiComputeListenPort),
        Debug = v.Bool(D.Debug),
        LogDir = NullIfEmpty(v.String(D.LogDir)),
        LogFile = NullIfEmpty(v.String(D.LogFile)),
        InstanceDeleteIntervalSeconds = Int(v, D.InstanceDeleteInterval),
    };

    private static LibvirtOptions BindLibvirt(ResolvedValues v) => new()
    {
        VirtType = v.String(L.VirtType) == "qemu" ? VirtType.Qemu : VirtType.Kvm,
        ConnectionUri = NullIfEmpty(v.String(L.ConnectionUri)),
        CpuMode = CpuModes.TryParseNova(v.String(L.CpuMode), out var cpuMode) ? cpuMode : null,
        CpuModels = v.List(L.CpuModels),
        CpuModelExtraFlags = [.. v.List(L.CpuModelExtraFlags)
            .Select(f => new CpuFeatureFlag(f.TrimStart('+', '-').ToLowerInvariant(), f.StartsWith('-') ? CpuFeaturePolicy.Disable : CpuFeaturePolicy.Require))
            .Distinct()],
        HwMachineType = Pairs(v.List(L.HwMachineType)),
        MemStatsPeriodSeconds = Int(v, L.MemStatsPeriodSeconds),
        ImagesType = v.String(L.ImagesType) switch
        {
            "qcow2" => ImagesType.Qcow2,
            "flat" or "raw" => ImagesType.Flat,
            "lvm" => ImagesType.Lvm,
            "rbd" => ImagesType.Rbd,
            _ => v.Bool(D.UseCowImages) ? ImagesType.Qcow2 : ImagesType.Flat,
        },
        ImagesTypeName = v.String(L.ImagesType) ?? "default",
        ImagesVolumeGroup = NullIfEmpty(v.String(L.ImagesVolumeGroup)),
        VolumeClear = v.String(L.VolumeClear) ?? "zero",
        VolumeClearSizeMiB = Int(v, L.VolumeClearSize),
        ImagesRbdPool = v.String(L.ImagesRbdPool) ?? "rbd",
        ImagesRbdCephConf = v.String(L.ImagesRbdCephConf) ?? "",
        RbdUser = NullIfEmpty(v.String(L.RbdUser)),
        RbdSecretUuid = v[L.RbdSecretUuid].Typed as Guid?,
        DiskCachemodes = Pairs(v.List(L.DiskCachemodes)),
        HwDiskDiscard = v.String(L.HwDiskDiscard) switch
        {
            "ignore" => DiskDiscard.Ignore,
            "unmap" => DiskDiscard.Unmap,
            _ => null,
        },
        LiveMigration = new LiveMigrationOptions
        {
            Uri = NullIfEmpty(v.String(L.LiveMigrationUri)),
            Scheme = NullIfEmpty(v.String(L.LiveMigrationScheme)),
            InboundAddress = NullIfEmpty(v.String(L.LiveMigrationInboundAddr)),
            Tunnelled = v.Bool(L.LiveMigrationTunnelled),
            PermitAutoConverge = v.Bool(L.LiveMigrationPermitAutoConverge),
            PermitPostCopy = v.Bool(L.LiveMigrationPermitPostCopy),
            CompletionTimeoutSecondsPerGiB = Int(v, L.LiveMigrationCompletionTimeout),
            DowntimeMilliseconds = Int(v, L.LiveMigrationDowntime),
        },
    };

    private static DatabaseOptions BindDatabase(ResolvedValues v, string fallback)
    {
        var connection = v.String(N.Database.Connection) ?? fallback;
        var engine = DatabaseRules.EngineOf(connection);
        return new DatabaseOptions
        {
            Connection = connection,
            Engine = engine,
            SqlitePath = DatabaseRules.SqlitePath(engine == DatabaseEngine.Sqlite ? connection : fallback),
        };
    }

    private static int Int(ResolvedValues v, Catalogue.OptionDefinition option) =>
        (int)Math.Clamp(v.Int(option) ?? long.Parse(option.Default!, System.Globalization.CultureInfo.InvariantCulture), int.MinValue, int.MaxValue);

    /// <summary>key=value items; the rules have already refused malformed and repeated keys.</summary>
    private static Dictionary<string, string> Pairs(IReadOnlyList<string> items) =>
        items.Select(i => i.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.Ordinal);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

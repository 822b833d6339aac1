using System.Globalization;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Servers;

/// <summary>Instances as Nova's <c>views/servers.py</c> shows them at microversion 2.1.</summary>
internal static class ServerViews
{
    /// <summary>Nova's <c>_progress_statuses</c>: the statuses whose view carries <c>progress</c>.</summary>
    private static readonly HashSet<string> ProgressStatuses = new(StringComparer.Ordinal)
    {
        ServerStatus.Active, ServerStatus.Build, "REBUILD", "RESIZE", ServerStatus.VerifyResize, ServerStatus.Migrating,
    };

    private static readonly IReadOnlyList<SecurityGroupReference> DefaultSecurityGroups = [new SecurityGroupReference { Name = "default" }];

    // Vireo has no networking yet; Nova shows {} while a server has no ports.
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<ServerAddress>> NoAddresses =
        new Dictionary<string, IReadOnlyList<ServerAddress>>(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Nova's <c>OS-DCF:diskConfig</c>: MANUAL, the root filesystem is not resized by the service.</summary>
    public const string DiskConfig = "MANUAL";

    public static string Path(Instance instance) => "servers/" + Id(instance);

    public static ServerSummary Summary(Instance instance, ApiLinks links) => new()
    {
        Id = Id(instance),
        Name = instance.Name,
        Links = links.SelfAndBookmark(Path(instance)),
    };

    public static ServerCreated Created(Instance instance, ApiLinks links) => new()
    {
        Id = Id(instance),
        Links = links.SelfAndBookmark(Path(instance)),
        DiskConfig = DiskConfig,
        SecurityGroups = DefaultSecurityGroups,
    };

    /// <param name="newestFault">The newest recorded fault, when the instance is in ERROR.</param>
    /// <param name="progress">Nova's <c>progress</c> (percent) for the statuses that carry it.</param>
    /// <param name="caller">Who asks: the host fields (<c>OS-EXT-SRV-ATTR:*</c>) are shown to admins only (Nova's default policy).</param>
    public static ServerDetail Detail(Instance instance, InstanceFault? newestFault, ApiLinks links, ComputeApiOptions options, RequestContext caller, int progress = 0)
    {
        var hostFields = Policy.Allows(caller, Policy.ServersShowHostFields);
        var status = instance.Status;
        var imageId = instance.ImageId.ToString("D", CultureInfo.InvariantCulture);
        return new ServerDetail
        {
            Id = Id(instance),
            Name = instance.Name,
            Status = status,
            TenantId = instance.ProjectId,
            UserId = instance.UserId,
            Metadata = NoMetadata,
            HostId = HostId(instance.ProjectId, instance.Host),
            Image = new ResourceReference { Id = imageId, Links = links.BookmarkOnly("images/" + imageId) },
            Flavor = new ResourceReference { Id = instance.FlavorId, Links = links.BookmarkOnly("flavors/" + Uri.EscapeDataString(instance.FlavorId)) },
            Created = Timestamp(instance.CreatedAt),
            Updated = Timestamp(instance.UpdatedAt),
            Addresses = NoAddresses,
            AccessIPv4 = string.Empty,
            AccessIPv6 = string.Empty,
            Links = links.SelfAndBookmark(Path(instance)),
            KeyName = null,
            ConfigDrive = string.Empty,
            DiskConfig = DiskConfig,
            AvailabilityZone = options.AvailabilityZone,
            Host = hostFields ? NullIfEmpty(instance.Host) : null,
            HypervisorHostname = hostFields ? NullIfEmpty(instance.Host) : null,
            VmState = instance.VmState.ToNova(),
            TaskState = instance.TaskState.ToNova(),
            PowerState = (int)instance.PowerState,
            LaunchedAt = instance.LaunchedAt is { } launched ? UsageTimestamp(launched) : null,
            TerminatedAt = instance.TerminatedAt is { } terminated ? UsageTimestamp(terminated) : null,
            VolumesAttached = [],
            SecurityGroups = DefaultSecurityGroups,
            Progress = ProgressStatuses.Contains(status) ? progress : null,
            Fault = status is ServerStatus.Error or ServerStatus.Deleted ? Fault(instance, newestFault) : null,
        };
    }

    /// <summary>Nova's <c>hostId</c>: sha224 of project id + host, empty while the server has no host.</summary>
    public static string HostId(string projectId, string? host) =>
        string.IsNullOrEmpty(host) ? string.Empty : Sha224.HexDigest(projectId + host);

    /// <summary>Nova's <c>utils.isotime</c>: seconds and Z.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>OS-SRV-USG</c> times are written as Python's <c>isoformat()</c> of a naive UTC time.</summary>
    public static string UsageTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static ServerFault? Fault(Instance instance, InstanceFault? newest)
    {
        if (newest is not null)
        {
            return new ServerFault { Code = newest.Code, Created = Timestamp(newest.CreatedAt), Message = newest.Message };
        }

        // A fault row is history and may be missing; the reason on the row is not.
        return instance.FaultReason is { } reason
            ? new ServerFault { Code = ErrorKinds.HttpStatus(ErrorKind.Failed), Created = Timestamp(instance.UpdatedAt), Message = reason }
            : null;
    }

    private static string Id(Instance instance) => instance.Id.ToString("D", CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

using Microsoft.Extensions.Logging;

namespace Vireo.Core.Diagnostics;

/// <summary>The log events of deletes whose disks or files are left to the pending-delete pass (Core 1350-1399).</summary>
internal static partial class PendingDeleteLog
{
    [LoggerMessage(EventId = 1350, EventName = "DeleteLeftForPendingPass", Level = LogLevel.Warning,
        Message = "server {Instance} ({InstanceId}) is deleted, but its disks or files could not all be removed ({Reason}); the pending-delete pass retries them ([DEFAULT] instance_delete_interval)")]
    public static partial void LeftForPendingPass(ILogger logger, string instance, Guid instanceId, string reason);

    [LoggerMessage(EventId = 1351, EventName = "OrphanDisksPurged", Level = LogLevel.Information,
        Message = "orphan {InstanceId}: its disks outside the instance directory ({Disks}) were removed on request")]
    public static partial void OrphanDisksPurged(ILogger logger, Guid instanceId, string disks);

    [LoggerMessage(EventId = 1352, EventName = "OutsideDisksNotListed", Level = LogLevel.Warning,
        Message = "the image backend's disks outside instance directories (RBD images, logical volumes) could not be listed ({Reason}); this pass decides nothing about them and does not list them as orphans, the next one lists them again")]
    public static partial void OutsideDisksNotListed(ILogger logger, string reason);
}

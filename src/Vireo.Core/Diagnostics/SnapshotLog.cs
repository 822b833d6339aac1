using Microsoft.Extensions.Logging;

namespace Vireo.Core.Diagnostics;

/// <summary>The snapshot's log events (createImage), ids 1300-1349 of Core's range.</summary>
internal static partial class SnapshotLog
{
    [LoggerMessage(EventId = 1300, EventName = "SnapshotStarted", Level = LogLevel.Information,
        Message = "snapshot of {Instance} into {Image} started ({Method}, {Format})")]
    public static partial void Started(ILogger logger, string instance, string image, string method, string format);

    [LoggerMessage(EventId = 1301, EventName = "SnapshotCompleted", Level = LogLevel.Information,
        Message = "snapshot of {Instance} is {Image}: {SizeBytes} bytes, {Method} copy in {Seconds:F1} s")]
    public static partial void Completed(ILogger logger, string instance, string image, long? sizeBytes, string method, double seconds);

    [LoggerMessage(EventId = 1302, EventName = "SnapshotFailed", Level = LogLevel.Warning,
        Message = "snapshot of {Instance} into {Image} failed and was undone: {Reason}")]
    public static partial void Failed(ILogger logger, string instance, string image, string reason);

    [LoggerMessage(EventId = 1303, EventName = "SnapshotImageNotRemoved", Level = LogLevel.Error,
        Message = "the image {ImageId} of a failed snapshot could not be removed; delete it: {Reason}")]
    public static partial void ImageNotRemoved(ILogger logger, Guid imageId, string reason);

    [LoggerMessage(EventId = 1304, EventName = "SnapshotFileNotRemoved", Level = LogLevel.Error,
        Message = "the snapshot file {Path} could not be removed; it goes with the instance directory: {Reason}")]
    public static partial void FileNotRemoved(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1305, EventName = "SnapshotTaskNotCleared", Level = LogLevel.Warning,
        Message = "the snapshot task of instance {InstanceId} could not be cleared; start-up reconciliation settles it: {Reason}")]
    public static partial void TaskNotCleared(ILogger logger, Guid instanceId, string reason);
}

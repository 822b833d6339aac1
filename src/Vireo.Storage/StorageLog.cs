using Microsoft.Extensions.Logging;

namespace Vireo.Storage;

/// <summary>
/// Storage's log events, each with a stable id (Storage's range is 3000-3999; these are 3300-3499):
/// decisions at debug, what failed but was handled (a file that could not be removed) at warning.
/// </summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3300, EventName = "BaseReused", Level = LogLevel.Debug,
        Message = "base image cache: reusing {Path} for {Image} as {Format} after checking it")]
    public static partial void BaseReused(ILogger logger, string path, string image, string format);

    [LoggerMessage(EventId = 3304, EventName = "BaseFilledElsewhere", Level = LogLevel.Debug,
        Message = "base image cache: another process sharing the base directory put {Path} in place first; its copy is checked before use")]
    public static partial void BaseFilledElsewhere(ILogger logger, string path);

    [LoggerMessage(EventId = 3305, EventName = "BaseRefused", Level = LogLevel.Warning,
        Message = "base image cache: {Path} of {Image} failed its safety check: {Reason}")]
    public static partial void BaseRefused(ILogger logger, string path, string image, string reason);

    [LoggerMessage(EventId = 3310, EventName = "RootDiskCreated", Level = LogLevel.Debug,
        Message = "root disk {Path} of {Instance} made on base {Base} ({Format}), size {SizeBytes} bytes (empty: the image's)")]
    public static partial void RootDiskCreated(ILogger logger, string path, string instance, string @base, string format, long? sizeBytes);

    [LoggerMessage(EventId = 3311, EventName = "InstanceFilesRemoved", Level = LogLevel.Debug,
        Message = "instance files of {InstanceId} removed from {Directory}")]
    public static partial void InstanceFilesRemoved(ILogger logger, Guid instanceId, string directory);

    [LoggerMessage(EventId = 3312, EventName = "RootDiskUndoIncomplete", Level = LogLevel.Warning,
        Message = "a failed root disk left {Path} behind: {Reason}; deleting the instance removes it")]
    public static partial void RootDiskUndoIncomplete(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3320, EventName = "ImageStored", Level = LogLevel.Debug,
        Message = "image store: {Image} stored as {Format}, {SizeBytes} bytes (virtual {VirtualSizeBytes}), sha256 {Sha256}")]
    public static partial void ImageStored(ILogger logger, string image, string? format, long? sizeBytes, long? virtualSizeBytes, string? sha256);

    [LoggerMessage(EventId = 3321, EventName = "ImageRefused", Level = LogLevel.Debug,
        Message = "image store: image '{Name}' refused: {Reason}")]
    public static partial void ImageRefused(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 3322, EventName = "PartialNotRemoved", Level = LogLevel.Warning,
        Message = "image store: {Path} could not be removed ({Reason}); it is never read as an image and the next start removes it")]
    public static partial void PartialNotRemoved(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3323, EventName = "UploadedImageDeleted", Level = LogLevel.Debug,
        Message = "image store: {Image} was deleted while its data arrived; it stays deleted")]
    public static partial void UploadedImageDeleted(ILogger logger, string image);

    [LoggerMessage(EventId = 3330, EventName = "LeftoverRemoved", Level = LogLevel.Debug,
        Message = "storage: removed {Path}, left by an import or base fill that was killed")]
    public static partial void LeftoverRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 3331, EventName = "LeftoverNotRemoved", Level = LogLevel.Warning,
        Message = "storage: the leftover {Path} could not be removed ({Reason}); the next start tries again")]
    public static partial void LeftoverNotRemoved(ILogger logger, string path, string reason);
}

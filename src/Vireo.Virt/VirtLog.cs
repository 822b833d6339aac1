using Microsoft.Extensions.Logging;

namespace Vireo.Virt;

/// <summary>
/// The driver's log events, each with a stable id (Virt's range is 2000-2999; these are 2200-2399):
/// what it decided and did to a guest at debug, what went wrong but was handled at warning.
/// </summary>
internal static partial class VirtLog
{
    [LoggerMessage(EventId = 2200, EventName = "GuestXmlBuilt", Level = LogLevel.Debug,
        Message = "guest definition of instance {InstanceId} built ({Vcpus} vCPU, {MemoryMiB} MiB, {Disks} disk(s)): {Xml}")]
    public static partial void GuestXmlBuilt(ILogger logger, Guid instanceId, int vcpus, long memoryMiB, int disks, string xml);

    [LoggerMessage(EventId = 2201, EventName = "GuestDefined", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} defined on {Uri}")]
    public static partial void GuestDefined(ILogger logger, Guid instanceId, string uri);

    [LoggerMessage(EventId = 2202, EventName = "GuestStarted", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} started (it was {State})")]
    public static partial void GuestStarted(ILogger logger, Guid instanceId, string state);

    [LoggerMessage(EventId = 2203, EventName = "GuestAlreadyRunning", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} was already running ({Reason}); nothing to start")]
    public static partial void GuestAlreadyRunning(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 2204, EventName = "GuestDestroyed", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} powered off (destroy) from {State}")]
    public static partial void GuestDestroyed(ILogger logger, Guid instanceId, string state);

    [LoggerMessage(EventId = 2205, EventName = "GuestAlreadyOff", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} went off by itself before it was destroyed ({Reason})")]
    public static partial void GuestAlreadyOff(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 2206, EventName = "GuestUndefined", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} undefined")]
    public static partial void GuestUndefined(ILogger logger, Guid instanceId);

    [LoggerMessage(EventId = 2207, EventName = "GuestAlreadyUndefined", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} was undefined meanwhile by someone else ({Reason})")]
    public static partial void GuestAlreadyUndefined(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 2208, EventName = "GuestShutDown", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} shut down when asked")]
    public static partial void GuestShutDown(ILogger logger, Guid instanceId);

    [LoggerMessage(EventId = 2209, EventName = "GuestShutdownTimedOut", Level = LogLevel.Warning,
        Message = "guest of instance {InstanceId} did not shut down within {TimeoutSeconds} s of being asked; powering it off")]
    public static partial void GuestShutdownTimedOut(ILogger logger, Guid instanceId, double timeoutSeconds);

    [LoggerMessage(EventId = 2210, EventName = "GuestRebooted", Level = LogLevel.Debug,
        Message = "guest of instance {InstanceId} rebooted ({Kind})")]
    public static partial void GuestRebooted(ILogger logger, Guid instanceId, string kind);

    [LoggerMessage(EventId = 2211, EventName = "GuestVanishedWhileListing", Level = LogLevel.Debug,
        Message = "domain {Uuid} was undefined between the listing and the look; not listed ({Reason})")]
    public static partial void GuestVanishedWhileListing(ILogger logger, Guid uuid, string reason);

    [LoggerMessage(EventId = 2212, EventName = "DomainMetadataUnreadable", Level = LogLevel.Warning,
        Message = "domain {Uuid} ('{Name}') has unreadable XML or Vireo metadata, so it is not taken as this installation's and is left alone: {Reason}")]
    public static partial void DomainMetadataUnreadable(ILogger logger, Guid uuid, string name, string reason);

    [LoggerMessage(EventId = 2213, EventName = "DomainGoneWhileChecked", Level = LogLevel.Debug,
        Message = "domain {Uuid} was undefined while its owner was being checked; taken as absent ({Reason})")]
    public static partial void DomainGoneWhileChecked(ILogger logger, Guid uuid, string reason);

    [LoggerMessage(EventId = 2214, EventName = "SoftRebootRefused", Level = LogLevel.Warning,
        Message = "libvirt refused the soft reboot of instance {InstanceId}'s guest: {Reason}")]
    public static partial void SoftRebootRefused(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 2300, EventName = "DiskCopyStarted", Level = LogLevel.Information,
        Message = "copying the root disk {Device} of instance {InstanceId}'s running guest to {Target} (libvirt backup, push mode)")]
    public static partial void DiskCopyStarted(ILogger logger, Guid instanceId, string device, string target);

    [LoggerMessage(EventId = 2301, EventName = "DiskCopyAborted", Level = LogLevel.Warning,
        Message = "aborting the disk copy of instance {InstanceId}: {Reason}")]
    public static partial void DiskCopyAborted(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 2302, EventName = "DiskCopyAbortFailed", Level = LogLevel.Error,
        Message = "the disk copy of instance {InstanceId} could not be aborted or did not end; check virsh domjobinfo and abort it with virsh domjobabort: {Reason}")]
    public static partial void DiskCopyAbortFailed(ILogger logger, Guid instanceId, string reason);
}

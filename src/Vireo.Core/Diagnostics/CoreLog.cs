using Microsoft.Extensions.Logging;

namespace Vireo.Core.Diagnostics;

/// <summary>
/// Core's log events, each with a stable id (Core's range is 1000-1999): an operator can alert on
/// an id, so an id is never reused for another meaning. Failures Core handles without failing the
/// operation (history not written, a fact not read, an undo that failed) are warnings or errors here,
/// never silent.
/// </summary>
internal static partial class CoreLog
{
    public const string Category = "Vireo.Core";

    [LoggerMessage(EventId = 1200, EventName = "ActionNotRecorded", Level = LogLevel.Warning,
        Message = "the '{Action}' action of instance {InstanceId} (request {RequestId}) could not be recorded in its history: {Reason}")]
    public static partial void ActionNotRecorded(ILogger logger, string action, Guid instanceId, string requestId, string reason);

    [LoggerMessage(EventId = 1201, EventName = "ActionNotFinished", Level = LogLevel.Warning,
        Message = "the action of request {RequestId} on instance {InstanceId} could not be closed as {Result} in its history: {Reason}")]
    public static partial void ActionNotFinished(ILogger logger, string requestId, Guid instanceId, string result, string reason);

    [LoggerMessage(EventId = 1202, EventName = "FaultNotRecorded", Level = LogLevel.Warning,
        Message = "the fault of instance {InstanceId} could not be recorded ({Fault}): {Reason}")]
    public static partial void FaultNotRecorded(ILogger logger, Guid instanceId, string fault, string reason);

    [LoggerMessage(EventId = 1203, EventName = "PowerStateNotRead", Level = LogLevel.Warning,
        Message = "the power state of instance {InstanceId}'s guest could not be read after a failure; the stored one is kept: {Reason}")]
    public static partial void PowerStateNotRead(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 1204, EventName = "GuestCpuNotRead", Level = LogLevel.Warning,
        Message = "the CPU of instance {InstanceId}'s guest could not be read; it is recorded as not known: {Reason}")]
    public static partial void GuestCpuNotRead(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 1205, EventName = "ConcurrentUpdateRetried", Level = LogLevel.Debug,
        Message = "instance {InstanceId} was changed by another request meanwhile (attempt {Attempt}); reading it again")]
    public static partial void ConcurrentUpdateRetried(ILogger logger, Guid instanceId, int attempt);

    [LoggerMessage(EventId = 1206, EventName = "RowNotReadAfterFailure", Level = LogLevel.Error,
        Message = "after its {Operation} failed, instance {InstanceId} could not be read to record the failure; start-up reconciliation settles it: {Reason}")]
    public static partial void RowNotReadAfterFailure(ILogger logger, string operation, Guid instanceId, string reason);

    [LoggerMessage(EventId = 1207, EventName = "RowNotUpdatedAfterFailure", Level = LogLevel.Error,
        Message = "after its {Operation} failed, instance {InstanceId} could not be stored as failed; start-up reconciliation settles it: {Reason}")]
    public static partial void RowNotUpdatedAfterFailure(ILogger logger, string operation, Guid instanceId, string reason);

    [LoggerMessage(EventId = 1208, EventName = "UndoFailed", Level = LogLevel.Error,
        Message = "undoing a half-done change failed while {Step}; it is left for a later delete or reconciliation: {Reason}")]
    public static partial void UndoFailed(ILogger logger, string step, string reason, Exception exception);

    [LoggerMessage(EventId = 1209, EventName = "CancelAfterEnd", Level = LogLevel.Debug,
        Message = "an operation on instance {InstanceId} ended before it could be cancelled")]
    public static partial void CancelAfterEnd(ILogger logger, Guid instanceId);

    [LoggerMessage(EventId = 1210, EventName = "OperationEnded", Level = LogLevel.Debug,
        Message = "{Kind} of instance {InstanceId} ended: {Result} after {ElapsedMs} ms")]
    public static partial void OperationEnded(ILogger logger, string kind, Guid instanceId, string result, long elapsedMs);

    [LoggerMessage(EventId = 1211, EventName = "OperationFailed", Level = LogLevel.Warning,
        Message = "{Kind} of instance {InstanceId} failed after {ElapsedMs} ms: {Reason}")]
    public static partial void OperationFailed(ILogger logger, string kind, Guid instanceId, long elapsedMs, string reason);

    [LoggerMessage(EventId = 1212, EventName = "OperationNotAccepted", Level = LogLevel.Debug,
        Message = "{Kind} was not accepted ({Result}): {Reason}")]
    public static partial void OperationNotAccepted(ILogger logger, string kind, string result, string reason);

    [LoggerMessage(EventId = 1213, EventName = "PowerStateChangeFailed", Level = LogLevel.Warning,
        Message = "applying a lifecycle event of instance {InstanceId} failed; the next event or start-up reconciliation settles it: {Reason}")]
    public static partial void PowerStateChangeFailed(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(EventId = 1220, EventName = "ReconcileActionDone", Level = LogLevel.Debug,
        Message = "reconciliation: {Action} done")]
    public static partial void ReconcileActionDone(ILogger logger, string action);

    [LoggerMessage(EventId = 1221, EventName = "ReconcileActionFailed", Level = LogLevel.Warning,
        Message = "reconciliation: {Action} failed; the instance's later repairs are skipped until the next start: {Reason}")]
    public static partial void ReconcileActionFailed(ILogger logger, string action, string reason);

    [LoggerMessage(EventId = 1222, EventName = "ReconcileActionSkipped", Level = LogLevel.Debug,
        Message = "reconciliation: {Action} skipped, an earlier repair of the same instance failed")]
    public static partial void ReconcileActionSkipped(ILogger logger, string action);
}

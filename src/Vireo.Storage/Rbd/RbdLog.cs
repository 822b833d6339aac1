using Microsoft.Extensions.Logging;

namespace Vireo.Storage.Rbd;

/// <summary>The RBD client's log events (3850-3899). Only the call, its target and rbd's message: never a key.</summary>
internal static partial class RbdLog
{
    [LoggerMessage(EventId = 3850, EventName = "RbdCall", Level = LogLevel.Debug, Message = "rbd {Verb} of {Target} took {ElapsedMs} ms")]
    public static partial void Call(ILogger logger, string verb, string target, long elapsedMs);

    [LoggerMessage(EventId = 3851, EventName = "RbdCallFailed", Level = LogLevel.Debug, Message = "rbd {Verb} of {Target} exited with {Errno}: {Reason}")]
    public static partial void CallFailed(ILogger logger, string verb, string target, int errno, string reason);

    [LoggerMessage(EventId = 3852, EventName = "RbdCallTimedOut", Level = LogLevel.Warning, Message = "rbd {Verb} of {Target} was killed after {TimeoutSeconds} s")]
    public static partial void CallTimedOut(ILogger logger, string verb, string target, long timeoutSeconds);
}

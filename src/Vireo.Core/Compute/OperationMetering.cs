using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vireo.Core.Diagnostics;

namespace Vireo.Core.Compute;

/// <summary>
/// Names and results of compute operations as <see cref="VireoMetrics.RecordOperation"/> records them:
/// an operation accepted and run ends in success or error (<see cref="RunningOperations"/> records it);
/// one the caller got wrong (bad input, unknown server, a state that does not allow it) is refused
/// before anything runs (<see cref="ComputeService"/>'s <c>Begin*</c> methods record it).
/// </summary>
internal static class OperationMetering
{
    public const string Create = "create";
    public const string Success = "success";
    public const string Error = "error";
    public const string Refused = "refused";

    /// <summary>Every kind tag, in the order of <see cref="ComputeOperation"/> after create.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Kind(null), .. Enum.GetValues<ComputeOperation>().Select(operation => Kind(operation))];

    /// <summary>The metric's kind tag: create, start, stop, reboot_soft, reboot_hard, delete, snapshot.</summary>
    public static string Kind(ComputeOperation? operation) => operation switch
    {
        null => Create,
        ComputeOperation.Start => "start",
        ComputeOperation.Stop => "stop",
        ComputeOperation.RebootSoft => "reboot_soft",
        ComputeOperation.RebootHard => "reboot_hard",
        ComputeOperation.Delete => "delete",
        ComputeOperation.Snapshot => "snapshot",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };

    /// <summary>Refused: the request itself cannot be carried out; anything else (libvirt away, a store failure) is an error.</summary>
    public static string ResultOf(Exception exception) =>
        exception is VireoException { Kind: ErrorKind.InvalidInput or ErrorKind.NotFound or ErrorKind.Conflict } ? Refused : Error;

    /// <summary>
    /// Runs a <c>Begin*</c> step (validate, accept, hand over to the background); when it throws, the
    /// operation never ran and is counted here as refused or error. Accepted operations are counted
    /// when they end, by <see cref="RunningOperations"/>.
    /// </summary>
    public static async Task<T> CountRefusalsAsync<T>(ComputeOperation? operation, ILogger logger, Func<Task<T>> begin)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await begin().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var kind = Kind(operation);
            var result = ResultOf(exception);
            VireoMetrics.RecordOperation(kind, result, Stopwatch.GetElapsedTime(started));
            CoreLog.OperationNotAccepted(logger, kind, result, exception.Message);
            throw;
        }
    }
}

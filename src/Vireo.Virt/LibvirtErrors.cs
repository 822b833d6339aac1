using System.Globalization;
using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>libvirt's failures in the port's vocabulary: unreachable is Unavailable, a refusal is Failed with libvirt's words.</summary>
internal static class LibvirtErrors
{
    public static VireoException Unreachable(string uri, string reason, Exception? inner) =>
        new(ErrorKind.Unavailable, $"libvirt at {uri} is not reachable ({reason}); start it with scripts/setup-host", inner);

    /// <summary>A call that did not return in time: libvirtd is hung, stopped or overloaded.</summary>
    public static VireoException NoAnswer(string uri, TimeSpan waited, string action) =>
        new(ErrorKind.Unavailable,
            $"libvirt at {uri} did not answer within {Seconds(waited)} s (while trying to {action}); check that libvirtd is running and not stuck (virsh -c {uri} version) and retry: the connection is replaced once it answers");

    /// <summary>A new connection that did not come up in time.</summary>
    public static VireoException NoAnswerToOpen(string uri, TimeSpan waited) =>
        new(ErrorKind.Unavailable,
            $"libvirt at {uri} did not answer within {Seconds(waited)} s (opening a connection); check that libvirtd is running and not stuck (virsh -c {uri} version) and retry");

    /// <summary>The bulkhead is full: every slot is held by a call still waiting on libvirt.</summary>
    public static VireoException NoFreeSlot(string uri, TimeSpan waited, int slots, string action) =>
        new(ErrorKind.Unavailable,
            $"libvirt at {uri} did not answer within {Seconds(waited)} s: all {slots} call slots are held by calls still waiting on it, so '{action}' was not tried; check that libvirtd is running and not stuck (virsh -c {uri} version) and retry");

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>libvirt's own message from a failed virConnectOpen, without the binding's "cannot connect" prefix.</summary>
    public static string ReasonOf(LibvirtException exception, string uri)
    {
        var prefix = $"cannot connect to libvirt at {uri}: ";
        return exception.Message.StartsWith(prefix, StringComparison.Ordinal) ? exception.Message[prefix.Length..] : exception.Message;
    }

    /// <param name="action">What was attempted, completing "libvirt refused to ...", e.g. "start guest of instance X".</param>
    public static VireoException Refused(string action, LibvirtException exception) => exception switch
    {
        LibvirtNotFoundException => new VireoException(ErrorKind.NotFound, $"cannot {action}: libvirt no longer has it (\"{exception.Message}\")", exception),
        _ when IsAlreadyExists(exception) => new VireoException(ErrorKind.Conflict, $"cannot {action}: \"{exception.Message}\"", exception),
        _ => new VireoException(ErrorKind.Failed, $"libvirt refused to {action}: \"{exception.Message}\"", exception),
    };

    /// <summary>A domain with the same name or uuid exists (VIR_ERR_DOM_EXIST, or OPERATION_FAILED "... already exists ...").</summary>
    public static bool IsAlreadyExists(LibvirtException exception) =>
        exception.Code == LibvirtErrorCode.DomExist
        || (exception.Code == LibvirtErrorCode.OperationFailed && exception.Message.Contains("already exists", StringComparison.Ordinal));
}

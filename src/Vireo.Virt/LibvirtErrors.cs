using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>libvirt's failures in the port's vocabulary: unreachable is Unavailable, a refusal is Failed with libvirt's words.</summary>
internal static class LibvirtErrors
{
    public static VireoException Unreachable(string uri, string reason, Exception? inner) =>
        new(ErrorKind.Unavailable, $"libvirt at {uri} is not reachable ({reason}); start it with scripts/setup-host", inner);

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

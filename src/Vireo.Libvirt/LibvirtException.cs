namespace Vireo.Libvirt;

/// <summary>A libvirt call failed; carries libvirt's error code, domain and message exactly as libvirt reported them.</summary>
public class LibvirtException : Exception
{
    public LibvirtException() : this(LibvirtErrorCode.InternalError, LibvirtErrorDomain.None, "libvirt call failed") { }

    public LibvirtException(string message) : this(LibvirtErrorCode.InternalError, LibvirtErrorDomain.None, message) { }

    public LibvirtException(string message, Exception inner) : base(message, inner) { }

    public LibvirtException(LibvirtErrorCode code, LibvirtErrorDomain domain, string message) : base(message)
    {
        Code = code;
        ErrorDomain = domain;
    }

    public LibvirtErrorCode Code { get; }

    public LibvirtErrorDomain ErrorDomain { get; }

    /// <summary>Maps a captured error to the most specific exception type a caller can catch.</summary>
    public static LibvirtException From(LibvirtErrorCode code, LibvirtErrorDomain domain, string message) => code switch
    {
        LibvirtErrorCode.NoSupport or LibvirtErrorCode.OperationUnsupported or LibvirtErrorCode.ArgumentUnsupported
            => new LibvirtNotSupportedException(code, domain, message),
        // virCheckFlags reports a flag a driver does not implement as INVALID_ARG "unsupported flags (0x..)".
        LibvirtErrorCode.InvalidArg when message.StartsWith("unsupported flags", StringComparison.Ordinal)
            => new LibvirtNotSupportedException(code, domain, message),
        LibvirtErrorCode.NoDomain or LibvirtErrorCode.NoSecret => new LibvirtNotFoundException(code, domain, message),
        LibvirtErrorCode.NoConnect or LibvirtErrorCode.InvalidConn or LibvirtErrorCode.Rpc or LibvirtErrorCode.AuthFailed
            => new LibvirtConnectionException(code, domain, message),
        LibvirtErrorCode.SystemError when domain == LibvirtErrorDomain.Rpc || domain == LibvirtErrorDomain.Remote
            => new LibvirtConnectionException(code, domain, message),
        LibvirtErrorCode.OperationInvalid => new LibvirtOperationInvalidException(code, domain, message),
        LibvirtErrorCode.AgentUnresponsive or LibvirtErrorCode.AgentUnsynced => new LibvirtAgentUnavailableException(code, domain, message),
        _ => new LibvirtException(code, domain, message),
    };
}

/// <summary>The driver behind this connection does not implement the call (e.g. domain capabilities on test:///default).</summary>
public sealed class LibvirtNotSupportedException(LibvirtErrorCode code, LibvirtErrorDomain domain, string message)
    : LibvirtException(code, domain, message);

/// <summary>No such domain.</summary>
public sealed class LibvirtNotFoundException(LibvirtErrorCode code, LibvirtErrorDomain domain, string message)
    : LibvirtException(code, domain, message);

/// <summary>The connection to libvirt could not be made or was lost.</summary>
public sealed class LibvirtConnectionException(LibvirtErrorCode code, LibvirtErrorDomain domain, string message)
    : LibvirtException(code, domain, message);

/// <summary>The call is not valid in the domain's current state (e.g. destroying a domain that is not running).</summary>
public sealed class LibvirtOperationInvalidException(LibvirtErrorCode code, LibvirtErrorDomain domain, string message)
    : LibvirtException(code, domain, message);

/// <summary>The guest agent did not answer (not running yet, or not connected).</summary>
public sealed class LibvirtAgentUnavailableException(LibvirtErrorCode code, LibvirtErrorDomain domain, string message)
    : LibvirtException(code, domain, message);

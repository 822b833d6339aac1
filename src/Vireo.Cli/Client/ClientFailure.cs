namespace Vireo.Cli.Client;

/// <summary>A client command failed with a one-sentence message and the exit code it maps to.</summary>
public sealed class ClientFailure : Exception
{
    public ClientFailure(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public ClientFailure(int exitCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    /// <summary>
    /// The exit code of an HTTP error status (docs/architecture.md, Conventions). A 413 is the operation
    /// failing (the image is over the cap, the image storage is full: Core's TooLarge), not a usage error.
    /// A 401 is the client's credentials (missing or refused): a configuration error, as Keystone's own refusal is.
    /// </summary>
    public static int ExitCodeFor(int httpStatus) => httpStatus switch
    {
        401 => ExitCodes.Configuration,
        404 => ExitCodes.NotFound,
        409 => ExitCodes.Conflict,
        400 or 405 or 406 or 415 => ExitCodes.Usage,
        503 => ExitCodes.Unavailable,
        _ => ExitCodes.Failed,
    };
}

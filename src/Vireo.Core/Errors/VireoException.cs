namespace Vireo.Core;

/// <summary>
/// A failure with a stable <see cref="ErrorKind"/> and a one-sentence message that says
/// what, where, the value, and what to do.
/// </summary>
public sealed class VireoException : Exception
{
    public VireoException(ErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public VireoException(ErrorKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }

    public static VireoException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static VireoException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static VireoException InvalidInput(string message) => new(ErrorKind.InvalidInput, message);
}

namespace Vireo.Storage.Qemu;

/// <summary>
/// The inner exception of a qemu-img <see cref="Vireo.Core.VireoException"/> when qemu-img ran
/// and refused (as opposed to not being found): callers tell a bad image from a broken host by it.
/// </summary>
public sealed class QemuImgFailure : Exception
{
    public QemuImgFailure(string verb, int exitCode, string standardError)
        : base($"qemu-img {verb} exited with {exitCode}: {standardError}")
    {
        Verb = verb;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public QemuImgFailure()
        : this("", 0, "")
    {
    }

    public QemuImgFailure(string message)
        : base(message)
    {
        Verb = "";
        StandardError = "";
    }

    public QemuImgFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        Verb = "";
        StandardError = "";
    }

    public string Verb { get; }

    public int ExitCode { get; }

    public string StandardError { get; }

    /// <summary>True when a signal ended it (exit status above 128): the limits were hit, or it crashed.</summary>
    public bool KilledBySignal => ExitCode > 128;
}

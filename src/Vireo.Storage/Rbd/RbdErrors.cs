using System.Globalization;
using Vireo.Core;

namespace Vireo.Storage.Rbd;

/// <summary>
/// The inner exception of an rbd <see cref="VireoException"/>: which call failed and the errno rbd
/// exited with (rbd's exit status is the errno of the failing librbd call).
/// </summary>
public sealed class RbdFailure : Exception
{
    public RbdFailure(string verb, string target, int errno, string reason)
        : base($"rbd {verb} of {target} exited with {errno}: {reason}")
    {
        Verb = verb;
        Target = target;
        Errno = errno;
        Reason = reason;
    }

    public RbdFailure()
        : this("", "", 0, "")
    {
    }

    public RbdFailure(string message)
        : base(message)
    {
        Verb = Target = Reason = "";
    }

    public RbdFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        Verb = Target = Reason = "";
    }

    public string Verb { get; }

    public string Target { get; }

    public int Errno { get; }

    public string Reason { get; }
}

/// <summary>rbd's exit status (an errno) and message as one <see cref="ErrorKind"/> and one sentence.</summary>
internal static class RbdErrors
{
    // errno values (Linux asm-generic/errno-base.h).
    private const int EInval = 22, EPerm = 1, ENoEnt = 2, EAcces = 13, EBusy = 16, EExist = 17, ENoSpc = 28, EDQuot = 122, ENotEmpty = 39, ETimedOut = 110, EConnRefused = 111;

    /// <summary>
    /// The "rbd: ..." lines of stderr on one line, or else its last line. librados' time-stamped
    /// diagnostics are dropped: one of them quotes a key it cannot decode, and a key is never
    /// put in a message or a log.
    /// </summary>
    public static string Message(string standardError)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var own = lines.Where(l => l.StartsWith("rbd: ", StringComparison.Ordinal)).Select(l => l["rbd: ".Length..]).ToList();
        if (own.Count > 0)
        {
            return string.Join("; ", own);
        }

        return lines.LastOrDefault(l => !l.Contains("key", StringComparison.OrdinalIgnoreCase) && !(l.Length > 4 && char.IsAsciiDigit(l[0]) && l[4] == '-')) ?? "";
    }

    /// <summary>The kind of a failure: by errno, except that a client that could not even connect with a usable key is a configuration error.</summary>
    public static ErrorKind Kind(RbdFailure failure) =>
        failure.Errno == EInval && failure.Reason.Contains("couldn't connect to the cluster", StringComparison.Ordinal)
            ? ErrorKind.Configuration
            : Kind(failure.Errno);

    public static ErrorKind Kind(int errno) => errno switch
    {
        ENoEnt => ErrorKind.NotFound,
        EBusy or EExist or ENotEmpty => ErrorKind.Conflict,
        ENoSpc or EDQuot => ErrorKind.TooLarge,
        EPerm or EAcces => ErrorKind.Configuration,
        ETimedOut or EConnRefused => ErrorKind.Unavailable,
        _ => ErrorKind.Failed,
    };

    public static VireoException ToException(RbdFailure failure, RbdSettings settings)
    {
        var reason = failure.Reason.Length > 0 ? failure.Reason : string.Create(CultureInfo.InvariantCulture, $"exit status {failure.Errno} and no message");
        var kind = Kind(failure);
        var advice = kind switch
        {
            ErrorKind.NotFound => "; check the name",
            ErrorKind.Conflict => "; it exists, or is still in use (snapshots, clones or an open client)",
            ErrorKind.TooLarge => "; the cluster is full: free space in it",
            ErrorKind.Configuration => $"; check that client.{settings.User}'s key and caps (e.g. profile rbd pool={settings.Pool}) allow it",
            ErrorKind.Unavailable => $"; check that the monitors in {settings.CephConf} answer",
            _ => "",
        };
        return new VireoException(kind, $"rbd {failure.Verb} of {failure.Target} failed: {reason}{advice}", failure);
    }
}

/// <summary>Pool, image and snapshot names rbd is given: no separator, option or path can hide in one.</summary>
public static class RbdNames
{
    /// <summary>True for 1-255 characters of letters, digits, '_', '-' and '.', not starting with '-' or '.'.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 255 }
        && name[0] is not ('-' or '.')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    public static void Require(string? name, string what)
    {
        if (!IsValid(name))
        {
            throw new VireoException(ErrorKind.InvalidInput, $"the RBD {what} name '{name}' is not accepted; use letters, digits, '_', '-' and '.' only, not starting with '-' or '.'");
        }
    }
}

namespace Vireo.Core;

/// <summary>How one <see cref="ErrorKind"/> is shown by each front door.</summary>
/// <param name="ExitCode">The CLI exit code (sysexits-style, see docs/architecture.md).</param>
/// <param name="HttpStatus">The HTTP status the API answers with.</param>
/// <param name="FaultName">The key of Nova's error body, <c>{"itemNotFound": {"code": 404, "message": ...}}</c>.</param>
public sealed record ErrorPresentation(int ExitCode, int HttpStatus, string FaultName);

/// <summary>The pure table the API and the CLI use to present failures.</summary>
public static class ErrorKinds
{
    /// <summary>Exit code for success; listed here so every exit code lives in one table.</summary>
    public const int SuccessExitCode = 0;

    private static readonly Dictionary<ErrorKind, ErrorPresentation> Table = new()
    {
        [ErrorKind.InvalidInput] = new(64, 400, "badRequest"),
        [ErrorKind.NotFound] = new(3, 404, "itemNotFound"),
        [ErrorKind.Conflict] = new(4, 409, "conflictingRequest"),
        [ErrorKind.Unavailable] = new(69, 503, "serviceUnavailable"),
        [ErrorKind.Failed] = new(1, 500, "computeFault"),
        [ErrorKind.Internal] = new(70, 500, "computeFault"),
        [ErrorKind.Configuration] = new(78, 500, "computeFault"),
        [ErrorKind.TooLarge] = new(1, 413, "overLimit"),
        [ErrorKind.Forbidden] = new(1, 403, "forbidden"),
    };

    public static IReadOnlyDictionary<ErrorKind, ErrorPresentation> All => Table;

    public static ErrorPresentation Presentation(ErrorKind kind) =>
        Table.TryGetValue(kind, out var presentation)
            ? presentation
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown error kind");

    public static int ExitCode(ErrorKind kind) => Presentation(kind).ExitCode;

    public static int HttpStatus(ErrorKind kind) => Presentation(kind).HttpStatus;

    /// <summary>The kind of any exception: a <see cref="VireoException"/> says; anything else is a bug.</summary>
    public static ErrorKind KindOf(Exception exception) => exception switch
    {
        VireoException vireo => vireo.Kind,
        OperationCanceledException => ErrorKind.Unavailable,
        _ => ErrorKind.Internal,
    };
}

using Vireo.Configuration.Parsing;

namespace Vireo.Configuration;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One finding about the configuration. <see cref="Message"/> is one sentence naming the option, the value
/// (never a secret) and the fix; <see cref="ToString"/> prefixes the place (<c>file:line: </c>).
/// </summary>
public sealed record ConfigDiagnostic(
    DiagnosticSeverity Severity,
    string Code,
    SourceLocation? Location,
    string? Group,
    string? Key,
    string Message)
{
    public static ConfigDiagnostic Error(string code, SourceLocation? location, string? group, string? key, string message) =>
        new(DiagnosticSeverity.Error, code, location, group, key, message);

    public static ConfigDiagnostic Warning(string code, SourceLocation? location, string? group, string? key, string message) =>
        new(DiagnosticSeverity.Warning, code, location, group, key, message);

    public override string ToString() => Location is null ? Message : $"{Location}: {Message}";
}

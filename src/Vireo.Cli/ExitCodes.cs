namespace Vireo.Cli;

/// <summary>The process exit codes every command shares (docs/architecture.md, Conventions).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Usage = 64;
    public const int Unavailable = 69;
    public const int Internal = 70;
    public const int Configuration = 78;
}

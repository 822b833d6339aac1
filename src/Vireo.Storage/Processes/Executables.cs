using Vireo.Core;

namespace Vireo.Storage;

/// <summary>
/// Finds the programs the storage layer runs, once, in the fixed system directories (never the
/// service's own PATH, which a child would otherwise inherit), so every child is started by
/// absolute path.
/// </summary>
public static class Executables
{
    /// <summary>The PATH every child process gets, and where bare program names are looked up.</summary>
    public const string SearchPath = "/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// The absolute path of <paramref name="program"/> (a bare name looked up in <see cref="SearchPath"/>,
    /// or an absolute path that must exist). <see cref="ErrorKind.Configuration"/> naming the Debian
    /// package when it is missing.
    /// </summary>
    /// <param name="setting">The setting that names the program, for the message.</param>
    public static string Resolve(string program, string debianPackage, string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (Path.IsPathFullyQualified(program))
        {
            return IsExecutableFile(program)
                ? program
                : throw Missing($"'{program}' does not exist or is not an executable file", debianPackage, setting);
        }

        if (program.Contains('/', StringComparison.Ordinal))
        {
            throw new VireoException(ErrorKind.Configuration, $"{setting} '{program}' must be a bare program name or an absolute path; set it to e.g. /usr/bin/{Path.GetFileName(program)}");
        }

        foreach (var directory in SearchPath.Split(':'))
        {
            var candidate = Path.Join(directory, program);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        throw Missing($"'{program}' is not in {SearchPath}", debianPackage, setting);
    }

    private static bool IsExecutableFile(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return false;
        }

        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static VireoException Missing(string what, string debianPackage, string setting) =>
        new(ErrorKind.Configuration, $"{what}; install the Debian package {debianPackage} (scripts/setup-host does) or set {setting} to its absolute path");
}

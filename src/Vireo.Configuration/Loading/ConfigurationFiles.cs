using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>The file operations the loader needs; the CLI passes the real file system, tests an in-memory one.</summary>
public interface IConfigFileSystem
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    /// <summary>The paths of the files directly in <paramref name="directory"/>.</summary>
    IEnumerable<string> FilesIn(string directory);

    string ReadAllText(string path);
}

/// <summary>The texts to load, in precedence order, and the problems met finding or reading them.</summary>
public sealed record ConfigFileSet(IReadOnlyList<ConfigSource> Sources, IReadOnlyList<ConfigDiagnostic> Errors, IReadOnlyList<ConfigDiagnostic> Warnings);

/// <summary>
/// Finds and reads the files the oslo.config way: every <c>--config-file</c> in order, then the <c>*.conf</c> files of
/// <c>--config-dir</c> in name order, later ones overriding earlier ones. Without <c>--config-file</c> the first of
/// <c>~/.nova/nova.conf</c>, <c>~/nova.conf</c>, <c>/etc/nova/nova.conf</c>, <c>/etc/nova.conf</c> that exists is
/// read, and without <c>--config-dir</c> the first existing <c>nova.conf.d</c> beside them.
/// </summary>
public static class ConfigurationFiles
{
    public static IReadOnlyList<string> DefaultSearchDirectories(string? home) =>
        [.. new[] { home is null ? null : Path.Combine(home, ".nova"), home, "/etc/nova", "/etc" }.OfType<string>()];

    public static ConfigFileSet Read(IReadOnlyList<string> files, string? directory, IConfigFileSystem fileSystem, string? home = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(fileSystem);
        var errors = new List<ConfigDiagnostic>();
        var warnings = new List<ConfigDiagnostic>();
        var paths = new List<string>();
        var searched = DefaultSearchDirectories(home);
        if (files.Count > 0)
        {
            foreach (var file in files)
            {
                if (Safe(() => fileSystem.FileExists(file)))
                {
                    paths.Add(file);
                }
                else
                {
                    errors.Add(ConfigDiagnostic.Error(DiagnosticCodes.FileNotFound, null, null, null,
                        $"the configuration file {file} does not exist; check the --config-file path"));
                }
            }
        }
        else if (searched.Select(d => Path.Combine(d, "nova.conf")).FirstOrDefault(f => Safe(() => fileSystem.FileExists(f))) is { } found)
        {
            paths.Add(found);
        }

        var dir = directory ?? searched.Select(d => Path.Combine(d, "nova.conf.d")).FirstOrDefault(d => Safe(() => fileSystem.DirectoryExists(d)));
        if (dir is not null)
        {
            if (Safe(() => fileSystem.DirectoryExists(dir)))
            {
                paths.AddRange(Safe(() => fileSystem.FilesIn(dir).Where(f => f.EndsWith(".conf", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()) ?? []);
            }
            else
            {
                errors.Add(ConfigDiagnostic.Error(DiagnosticCodes.DirectoryNotFound, null, null, null,
                    $"the configuration directory {dir} does not exist; check the --config-dir path"));
            }
        }

        var sources = new List<ConfigSource>();
        foreach (var path in paths)
        {
            try
            {
                sources.Add(new ConfigSource(path, fileSystem.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(ConfigDiagnostic.Error(DiagnosticCodes.FileUnreadable, null, null, null,
                    $"the configuration file {path} cannot be read ({e.Message}); check its permissions"));
            }
        }
        if (paths.Count == 0 && errors.Count == 0)
        {
            warnings.Add(ConfigDiagnostic.Warning(DiagnosticCodes.NoFiles, null, null, null,
                $"no configuration file was given or found (looked for nova.conf in {string.Join(", ", searched)}); every option has its default; pass --config-file /etc/nova/nova.conf"));
        }
        return new ConfigFileSet(sources, errors, warnings);
    }

    /// <summary>Reads the files and loads them, merging the file problems into the result.</summary>
    public static ConfigurationResult Load(IReadOnlyList<string> files, string? directory, IConfigFileSystem fileSystem, LoadSettings? settings = null, string? home = null)
    {
        var set = Read(files, directory, fileSystem, home);
        var result = NovaConfig.Load(set.Sources, settings);
        var strict = settings?.Strict == true;
        var fileWarnings = strict ? set.Warnings.Select(w => w with { Severity = DiagnosticSeverity.Error }).ToList() : [];
        var errors = set.Errors.Concat(fileWarnings).Concat(result.Errors).ToList();
        var warnings = (strict ? [] : set.Warnings).Concat(result.Warnings).ToList();
        return result with
        {
            Errors = errors,
            Warnings = warnings,
            Options = errors.Count == 0 ? result.Options : null,
        };
    }

    private static T? Safe<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }
}

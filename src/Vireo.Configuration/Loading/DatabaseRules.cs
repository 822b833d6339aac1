using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Options;

namespace Vireo.Configuration.Loading;

/// <summary>[database] connection: SQLite is supported; other engines warn until the state store supports them.</summary>
internal static class DatabaseRules
{
    private static OptionDefinition Connection => NovaOptions.Database.Connection;

    public static void Check(ResolvedValues values, string fallback, List<ConfigDiagnostic> found)
    {
        if (!values.Valid(Connection) || values.String(Connection) is not { } url)
        {
            return;
        }
        var engine = EngineOf(url);
        if (engine != DatabaseEngine.Sqlite)
        {
            found.Add(ConfigRules.Warning(DiagnosticCodes.DatabaseEngine, Connection, values,
                $"{values.Describe(Connection)} names the {Scheme(url)} engine, which Vireo does not support yet; Vireo keeps its state in SQLite at {SqlitePath(fallback)} until it does (set connection = sqlite:////path/file.sqlite to choose the file)"));
            return;
        }
        var path = SqlitePath(url);
        if (path is null)
        {
            found.Add(ConfigRules.Warning(DiagnosticCodes.DatabasePath, Connection, values,
                $"{values.Describe(Connection)} keeps the state in memory, so it is lost when Vireo stops; name a file, e.g. sqlite:////var/lib/nova/vireo.sqlite"));
        }
        else if (!path.StartsWith('/'))
        {
            found.Add(ConfigRules.Error(DiagnosticCodes.DatabasePath, Connection, values,
                $"{values.Describe(Connection)} names a path relative to the working directory; use four slashes and an absolute path, e.g. sqlite:////var/lib/nova/vireo.sqlite"));
        }
    }

    public static DatabaseEngine EngineOf(string url)
    {
        return Scheme(url).ToLowerInvariant() switch
        {
            "sqlite" => DatabaseEngine.Sqlite,
            "mysql" or "mariadb" => DatabaseEngine.MySql,
            "postgresql" or "postgres" => DatabaseEngine.PostgreSql,
            _ => DatabaseEngine.Other,
        };
    }

    /// <summary>SQLAlchemy's convention: <c>sqlite:///relative</c>, <c>sqlite:////absolute</c>, <c>sqlite://</c> in memory (null).</summary>
    public static string? SqlitePath(string url)
    {
        const string prefix = "sqlite:///";
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var path = url[prefix.Length..];
        var query = path.IndexOf('?', StringComparison.Ordinal);
        path = query >= 0 ? path[..query] : path;
        return path.Length == 0 || path == ":memory:" ? null : path;
    }

    private static string Scheme(string url)
    {
        var end = url.IndexOfAny(['+', ':']);
        return end > 0 ? url[..end] : url;
    }
}

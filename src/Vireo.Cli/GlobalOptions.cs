using System.CommandLine;

namespace Vireo.Cli;

/// <summary>Options every command accepts: the nova.conf files and JSON output.</summary>
public static class GlobalOptions
{
    public static readonly Option<string[]> ConfigFile = new("--config-file")
    {
        Description = "A nova.conf file to read (repeatable; later files override earlier ones).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string?> ConfigDir = new("--config-dir")
    {
        Description = "A directory whose *.conf files are read after --config-file, in name order.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON only on stdout (messages go to stderr).",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(ConfigFile);
        root.Options.Add(ConfigDir);
        root.Options.Add(Json);
    }
}

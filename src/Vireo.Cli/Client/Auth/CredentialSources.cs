using System.Collections;
using System.CommandLine;

namespace Vireo.Cli.Client.Auth;

/// <summary>
/// Gathers the facts <see cref="CredentialResolver"/> decides on: the environment, the <c>--os-*</c> flags,
/// and, when a cloud is named, the first clouds.yaml and secure.yaml of openstacksdk's search order
/// (openstacksdk/config/loader.py): <c>OS_CLIENT_CONFIG_FILE</c> / <c>OS_CLIENT_SECURE_FILE</c>, the current
/// directory, <c>$XDG_CONFIG_HOME/openstack</c> (else <c>~/.config/openstack</c>), <c>/etc/openstack</c>;
/// <c>.yaml</c> before <c>.yml</c> in each.
/// </summary>
public static class CredentialSources
{
    /// <summary>The flags of <see cref="GlobalOptions.OpenStack"/> given on <paramref name="parse"/>'s command line.</summary>
    public static IReadOnlyDictionary<string, string> FlagsOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in GlobalOptions.OpenStack)
        {
            if (parse.GetValue(option) is { Length: > 0 } value)
            {
                flags[option.Name] = value;
            }
        }

        return flags;
    }

    /// <summary>This process's environment.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    public static CredentialInputs Gather(
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, string> flags,
        string currentDirectory,
        string systemDirectory = "/etc/openstack")
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(flags);
        var inputs = new CredentialInputs { Environment = environment, Flags = flags };
        var named = (flags.TryGetValue(CredentialResolver.CloudFlag, out var flag) && flag.Length > 0)
            || (environment.TryGetValue(CredentialResolver.CloudVariable, out var variable) && !string.IsNullOrWhiteSpace(variable));
        if (!named)
        {
            return inputs;
        }

        var directories = Directories(environment, currentDirectory, systemDirectory);
        var clouds = Candidates(environment, "OS_CLIENT_CONFIG_FILE", directories, "clouds");
        var secure = Candidates(environment, "OS_CLIENT_SECURE_FILE", directories, "secure");
        return inputs with { Clouds = FirstReadable(clouds), Secure = FirstReadable(secure), CloudsSearched = clouds };
    }

    private static List<string> Directories(IReadOnlyDictionary<string, string> environment, string currentDirectory, string systemDirectory)
    {
        var config = environment.TryGetValue("XDG_CONFIG_HOME", out var xdg) && Path.IsPathFullyQualified(xdg)
            ? xdg
            : Path.Combine(environment.TryGetValue("HOME", out var home) && home.Length > 0 ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return [currentDirectory, Path.Combine(config, "openstack"), systemDirectory];
    }

    private static List<string> Candidates(IReadOnlyDictionary<string, string> environment, string variable, List<string> directories, string name)
    {
        var candidates = new List<string>();
        if (environment.TryGetValue(variable, out var file) && file.Length > 0)
        {
            candidates.Add(file);
        }

        foreach (var directory in directories)
        {
            candidates.Add(Path.Combine(directory, name + ".yaml"));
            candidates.Add(Path.Combine(directory, name + ".yml"));
        }

        return candidates;
    }

    private static ConfigFileText? FirstReadable(List<string> candidates)
    {
        foreach (var path in candidates)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                return new ConfigFileText(path, File.ReadAllText(path));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new ClientFailure(ExitCodes.Configuration, $"{path} cannot be read ({exception.Message}); make it readable by this user or remove it", exception);
            }
        }

        return null;
    }
}

using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>
/// Loads nova.conf texts (already read: this is pure) into validated <see cref="Options.VireoOptions"/>.
/// Files are given in precedence order, later ones overriding earlier ones, as with repeated
/// <c>--config-file</c> followed by the <c>--config-dir</c> files in name order.
/// </summary>
public static class NovaConfig
{
    public static ConfigurationResult Load(IEnumerable<ConfigSource> sources, LoadSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new LoadRun([.. sources], settings ?? new LoadSettings()).Run();
    }

    public static ConfigurationResult Load(IEnumerable<(string Path, string Text)> files, LoadSettings? settings = null) =>
        Load(files.Select(f => new ConfigSource(f.Path, f.Text)), settings);

    public static ConfigurationResult Load(string path, string text, LoadSettings? settings = null) =>
        Load([new ConfigSource(path, text)], settings);

    internal static OptionIndex Index { get; } = new(NovaOptions.All);
}

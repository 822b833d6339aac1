using Vireo.Configuration.Loading;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Tests;

/// <summary>Reads fixture files copied next to the test assembly, and loads small inline texts.</summary>
internal static class Fixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Path_(string relative) => Path.Combine(Directory, relative);

    public static ConfigSource Source(string relative) => new(relative, File.ReadAllText(Path_(relative)));

    public static ConfigurationResult Load(string relative, LoadSettings? settings = null) => NovaConfig.Load([Source(relative)], settings);

    public static ConfigurationResult Text(string text, LoadSettings? settings = null) => NovaConfig.Load("nova.conf", text, settings);

    public static string Describe(ConfigurationResult result) =>
        string.Join('\n', result.Errors.Concat(result.Warnings).Select(d => $"{d.Severity.ToString().ToLowerInvariant()} {d.Code}{(d.Group is null ? "" : $" [{d.Group}] {d.Key}")}: {d}"));
}

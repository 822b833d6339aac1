using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Configuration.Loading;
using Vireo.Configuration.Options;
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

    /// <summary>The options as JSON, to compare two loads by value (the records hold lists, compared by reference).</summary>
    public static string Canonical(VireoOptions? options) => JsonSerializer.Serialize(options, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { Converters = { new IpConverter(), new JsonStringEnumConverter() } };

    private sealed class IpConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => IPAddress.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}

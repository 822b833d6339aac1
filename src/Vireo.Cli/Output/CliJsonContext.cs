using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Cli.Commands;

namespace Vireo.Cli.Output;

/// <summary>
/// Serialization code generated at build time for every document the CLI prints with <c>--json</c>,
/// so no output needs reflection (which trimming and Native AOT cannot keep). A type printed without
/// being listed here fails with NotSupportedException naming it: list it.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<FlavorDetail>))]
[JsonSerializable(typeof(FlavorDetail))]
[JsonSerializable(typeof(IReadOnlyList<ImageView>))]
[JsonSerializable(typeof(ImageView))]
[JsonSerializable(typeof(IReadOnlyList<OrphanView>))]
[JsonSerializable(typeof(OrphanView))]
[JsonSerializable(typeof(ImageCacheView))]
[JsonSerializable(typeof(IReadOnlyList<ServerDetail>))]
[JsonSerializable(typeof(ConsoleOutputResponse))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(DeletedResource))]
[JsonSerializable(typeof(ServerCommands.AcceptedAction))]
[JsonSerializable(typeof(AgentWaited))]
[JsonSerializable(typeof(CpuGuestDocument))]
[JsonSerializable(typeof(CpuModelsDocument))]
[JsonSerializable(typeof(CpuBaselineDocument))]
[JsonSerializable(typeof(CpuCompareDocument))]
[JsonSerializable(typeof(ImageInspectDocument))]
[JsonSerializable(typeof(ConfigCheckDocument))]
[JsonSerializable(typeof(VersionDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>What <c>--json</c> prints: the API's settings (<see cref="ApiJson.Options"/>), indented.</summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions(ApiJson.Options) { WriteIndented = true });

    /// <summary>System.Text.Json's own defaults: one line, names as declared, the default escaping (<c>vireo version --json</c>).</summary>
    public static CliJsonContext Compact { get; } = new(new JsonSerializerOptions());

    /// <summary>The generated metadata of <typeparamref name="T"/> for <see cref="Output"/>.</summary>
    public static JsonTypeInfo<T> OutputInfo<T>() => (JsonTypeInfo<T>)Output.Options.GetTypeInfo(typeof(T));
}

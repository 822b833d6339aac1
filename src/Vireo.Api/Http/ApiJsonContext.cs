using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vireo.Api.Contracts;

namespace Vireo.Api.Http;

/// <summary>
/// Serialization code generated at build time for the API's bodies, so neither the service nor a
/// short-lived `vireo` client call pays for reflection the first time it reads or writes one, and
/// the service can be trimmed and compiled ahead of time. Every type the API writes or its client
/// reads is listed; there is no reflection fallback (<see cref="ApiJson.Options"/>).
/// The settings must equal <see cref="ApiJson.Options"/>'.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FlavorListResponse))]
[JsonSerializable(typeof(FlavorDetailListResponse))]
[JsonSerializable(typeof(FlavorResponse))]
[JsonSerializable(typeof(FlavorCreateRequest))]
[JsonSerializable(typeof(FlavorCreateBody))]
[JsonSerializable(typeof(GuestCpuResponse))]
[JsonSerializable(typeof(AgentPingResponse))]
[JsonSerializable(typeof(OrphanListResponse))]
[JsonSerializable(typeof(ImageCacheResponse))]
[JsonSerializable(typeof(ServerListResponse))]
[JsonSerializable(typeof(ServerDetailListResponse))]
[JsonSerializable(typeof(ServerResponse))]
[JsonSerializable(typeof(ServerCreatedResponse))]
[JsonSerializable(typeof(ServerCreateRequest))]
[JsonSerializable(typeof(ServerCreateBody))]
[JsonSerializable(typeof(ConsoleOutputResponse))]
[JsonSerializable(typeof(VersionsResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(ImageView))]
[JsonSerializable(typeof(ImageListResponse))]
[JsonSerializable(typeof(Dictionary<string, FaultDetail>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

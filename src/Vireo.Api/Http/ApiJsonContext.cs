using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Api.Contracts;

namespace Vireo.Api.Http;

/// <summary>
/// Serialization code generated at build time for the API's bodies, so neither the service nor a
/// short-lived `vireo` client call pays for reflection the first time it reads or writes one.
/// Types not listed fall back to reflection in <see cref="ApiJson"/>: anonymous CLI outputs, JSON
/// nodes, and the image views, whose Glance properties are extension data (with them listed here
/// the image endpoints answered 500, so they stay on reflection).
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
[JsonSerializable(typeof(GuestCpuResponse))]
[JsonSerializable(typeof(AgentPingResponse))]
[JsonSerializable(typeof(OrphanListResponse))]
[JsonSerializable(typeof(ServerListResponse))]
[JsonSerializable(typeof(ServerDetailListResponse))]
[JsonSerializable(typeof(ServerResponse))]
[JsonSerializable(typeof(ServerCreatedResponse))]
[JsonSerializable(typeof(ServerCreateRequest))]
[JsonSerializable(typeof(ConsoleOutputResponse))]
[JsonSerializable(typeof(VersionsResponse))]
[JsonSerializable(typeof(VersionResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

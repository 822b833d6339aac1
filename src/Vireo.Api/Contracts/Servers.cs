using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>An entry of <c>GET /servers</c>.</summary>
public sealed record ServerSummary
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }
}

/// <summary>The image or flavor of a server at 2.1: its id and a bookmark link.</summary>
public sealed record ResourceReference
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }
}

public sealed record SecurityGroupReference
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }
}

/// <summary>Why a server is in ERROR (Nova shows the newest fault).</summary>
public sealed record ServerFault
{
    [JsonPropertyName("code")]
    public required int Code { get; init; }

    [JsonPropertyName("created")]
    public required string Created { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }
}

public sealed record ServerAddress
{
    [JsonPropertyName("addr")]
    public required string Addr { get; init; }

    [JsonPropertyName("version")]
    public required int Version { get; init; }

    [JsonPropertyName("OS-EXT-IPS:type")]
    public required string Type { get; init; }

    [JsonPropertyName("OS-EXT-IPS-MAC:mac_addr")]
    public required string MacAddr { get; init; }
}

/// <summary>
/// A server as <c>GET /servers/{id}</c> and <c>GET /servers/detail</c> show it at
/// microversion 2.1 (Nova's <c>views/servers.py</c>, with the admin-only extended attributes).
/// </summary>
public sealed record ServerDetail
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>ACTIVE, BUILD, SHUTOFF, REBOOT, HARD_REBOOT, ERROR, ...</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("tenant_id")]
    public required string TenantId { get; init; }

    [JsonPropertyName("user_id")]
    public required string UserId { get; init; }

    [JsonPropertyName("metadata")]
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>sha224 hex of project id + host; empty while unscheduled.</summary>
    [JsonPropertyName("hostId")]
    public required string HostId { get; init; }

    [JsonPropertyName("image")]
    public required ResourceReference Image { get; init; }

    [JsonPropertyName("flavor")]
    public required ResourceReference Flavor { get; init; }

    [JsonPropertyName("created")]
    public required string Created { get; init; }

    [JsonPropertyName("updated")]
    public required string Updated { get; init; }

    [JsonPropertyName("addresses")]
    public required IReadOnlyDictionary<string, IReadOnlyList<ServerAddress>> Addresses { get; init; }

    [JsonPropertyName("accessIPv4")]
    public required string AccessIPv4 { get; init; }

    [JsonPropertyName("accessIPv6")]
    public required string AccessIPv6 { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }

    [JsonPropertyName("key_name")]
    public string? KeyName { get; init; }

    [JsonPropertyName("config_drive")]
    public required string ConfigDrive { get; init; }

    [JsonPropertyName("OS-DCF:diskConfig")]
    public required string DiskConfig { get; init; }

    [JsonPropertyName("OS-EXT-AZ:availability_zone")]
    public required string AvailabilityZone { get; init; }

    /// <summary>Admins only (Nova's <c>os_compute_api:os-extended-server-attributes</c>): left out for anyone else.</summary>
    [JsonPropertyName("OS-EXT-SRV-ATTR:host")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }

    /// <summary>Admins only, as <see cref="Host"/>.</summary>
    [JsonPropertyName("OS-EXT-SRV-ATTR:hypervisor_hostname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HypervisorHostname { get; init; }

    [JsonPropertyName("OS-EXT-STS:vm_state")]
    public required string VmState { get; init; }

    /// <summary>Null when no operation is in flight.</summary>
    [JsonPropertyName("OS-EXT-STS:task_state")]
    public string? TaskState { get; init; }

    /// <summary>Nova's integer: 0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED.</summary>
    [JsonPropertyName("OS-EXT-STS:power_state")]
    public required int PowerState { get; init; }

    [JsonPropertyName("OS-SRV-USG:launched_at")]
    public string? LaunchedAt { get; init; }

    [JsonPropertyName("OS-SRV-USG:terminated_at")]
    public string? TerminatedAt { get; init; }

    [JsonPropertyName("os-extended-volumes:volumes_attached")]
    public required IReadOnlyList<VolumeAttachment> VolumesAttached { get; init; }

    [JsonPropertyName("security_groups")]
    public required IReadOnlyList<SecurityGroupReference> SecurityGroups { get; init; }

    /// <summary>Only in ACTIVE, BUILD, REBUILD, RESIZE, VERIFY_RESIZE and MIGRATING.</summary>
    [JsonPropertyName("progress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Progress { get; init; }

    /// <summary>Only in ERROR.</summary>
    [JsonPropertyName("fault")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServerFault? Fault { get; init; }
}

public sealed record VolumeAttachment
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("delete_on_termination")]
    public required bool DeleteOnTermination { get; init; }
}

/// <summary>The body of the 202 answering <c>POST /servers</c>.</summary>
public sealed record ServerCreated
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }

    [JsonPropertyName("OS-DCF:diskConfig")]
    public required string DiskConfig { get; init; }

    [JsonPropertyName("security_groups")]
    public required IReadOnlyList<SecurityGroupReference> SecurityGroups { get; init; }
}

public sealed record ServerListResponse
{
    [JsonPropertyName("servers")]
    public required IReadOnlyList<ServerSummary> Servers { get; init; }
}

public sealed record ServerDetailListResponse
{
    [JsonPropertyName("servers")]
    public required IReadOnlyList<ServerDetail> Servers { get; init; }
}

public sealed record ServerResponse
{
    [JsonPropertyName("server")]
    public required ServerDetail Server { get; init; }
}

public sealed record ServerCreatedResponse
{
    [JsonPropertyName("server")]
    public required ServerCreated Server { get; init; }
}

/// <summary>What <c>POST /servers</c> reads; Nova accepts more fields, which are ignored here.</summary>
public sealed record ServerCreateRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>An image id (or name, or a link whose last segment is the id).</summary>
    [JsonPropertyName("imageRef")]
    public required string ImageRef { get; init; }

    /// <summary>A flavor id (or name, or a link whose last segment is the id).</summary>
    [JsonPropertyName("flavorRef")]
    public required string FlavorRef { get; init; }
}

public sealed record ServerCreateBody
{
    [JsonPropertyName("server")]
    public required ServerCreateRequest Server { get; init; }
}

/// <summary>The answer of <c>os-getConsoleOutput</c>.</summary>
public sealed record ConsoleOutputResponse
{
    [JsonPropertyName("output")]
    public required string Output { get; init; }
}

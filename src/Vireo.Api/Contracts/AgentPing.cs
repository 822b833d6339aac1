using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>
/// <c>POST /v2.1/servers/{id}/vireo-agent-ping</c> with <c>{"timeout": 5}</c> (seconds, 1-60), a Vireo
/// extension outside Nova's bodies: one guest-ping to the server's QEMU guest agent. 200 with
/// <c>answered</c> true or false (not yet: building, booting, off, no qemu-ga running); 404 for an
/// unknown server; 409 when the guest has no agent channel (image without hw_qemu_guest_agent=yes).
/// A client that waits longer asks again.
/// </summary>
public sealed record AgentPingResponse
{
    [JsonPropertyName("vireo_agent_ping")]
    public required AgentPingView AgentPing { get; init; }
}

public sealed record AgentPingView
{
    [JsonPropertyName("server_id")]
    public required string ServerId { get; init; }

    [JsonPropertyName("answered")]
    public required bool Answered { get; init; }

    [JsonPropertyName("timeout")]
    public required int Timeout { get; init; }
}

using System.Net;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests;

/// <summary>POST /v2.1/servers/{id}/vireo-agent-ping: one guest-ping through the compute service and the hypervisor port.</summary>
public sealed class AgentPingTests
{
    private static string PingPath(string id) => $"/v2.1/servers/{id}/vireo-agent-ping";

    [Fact]
    public async Task An_answering_agent_is_200_answered_true_with_the_timeout_passed_to_the_hypervisor()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.PostAsync(PingPath(id), """{"timeout": 7}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var ping = body.GetProperty("vireo_agent_ping");
        ping.GetProperty("server_id").GetString().ShouldBe(id);
        ping.GetProperty("answered").GetBoolean().ShouldBeTrue();
        ping.GetProperty("timeout").GetInt32().ShouldBe(7);
        api.Fakes.Hypervisor.LastPing.ShouldBe((Guid.Parse(id), TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public async Task A_silent_agent_is_200_answered_false_and_the_default_timeout_is_5_s()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        api.Fakes.Hypervisor.AgentAnswer = AgentPing.NotAnswering;

        var (status, body, _) = await api.PostAsync(PingPath(id), "{}");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("vireo_agent_ping").GetProperty("answered").GetBoolean().ShouldBeFalse();
        api.Fakes.Hypervisor.LastPing!.Value.Timeout.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_guest_without_an_agent_channel_is_a_409_naming_the_image_property()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        api.Fakes.Hypervisor.AgentAnswer = AgentPing.NoAgentChannel;

        var (status, body, _) = await api.PostAsync(PingPath(id), """{"timeout": 1}""");

        status.ShouldBe(HttpStatusCode.Conflict);
        body.ShouldBeFault("conflictingRequest", 409).ShouldContain("hw_qemu_guest_agent=yes");
    }

    [Fact]
    public async Task An_unknown_server_is_a_404()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync(PingPath(Guid.NewGuid().ToString()), """{"timeout": 1}""");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404);
        api.Fakes.Hypervisor.LastPing.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"timeout": 0}""", "'timeout' must be between 1 and 60, got 0")]
    [InlineData("""{"timeout": 61}""", "'timeout' must be between 1 and 60, got 61")]
    [InlineData("""{"timeout": "soon"}""", "'timeout' must be an integer")]
    public async Task A_timeout_out_of_range_is_a_400_naming_it(string json, string message)
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.PostAsync(PingPath(id), json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain(message);
        api.Fakes.Hypervisor.LastPing.ShouldBeNull();
    }
}

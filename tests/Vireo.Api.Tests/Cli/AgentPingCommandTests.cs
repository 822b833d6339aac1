using Vireo.Cli;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Cli;

/// <summary>`vireo server ping`: a client command over the service's vireo-agent-ping endpoint, asked again until its deadline.</summary>
public sealed class AgentPingCommandTests
{
    [Fact]
    public async Task Ping_waits_until_the_agent_answers_and_says_how_long_it_waited()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        api.Fakes.Hypervisor.AgentAnswer = AgentPing.NotAnswering;
        var answerLater = Task.Run(async () =>
        {
            // From the first ping the command sends, so a slow start of the command does not shorten the wait.
            while (api.Fakes.Hypervisor.LastPing is null)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            await Task.Delay(600, TestContext.Current.CancellationToken);
            api.Fakes.Hypervisor.AgentAnswer = AgentPing.Answered;
        }, TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(api, "server", "ping", "web1", "--timeout", "60");
        await answerLater;

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Out.ShouldMatch(@"^The guest agent of server 'web1' answered guest-ping \(waited \d+\.\d s\)\.\n$");
        var waited = double.Parse(result.Out.Split("waited ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        waited.ShouldBeGreaterThanOrEqualTo(0.5);
    }

    [Fact]
    public async Task Ping_json_names_the_server_and_the_agent_ok()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var result = await CliRunner.RunAsync(api, "server", "ping", "web1", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Json.GetProperty("server").GetString().ShouldBe(id);
        result.Json.GetProperty("agent").GetString().ShouldBe("ok");
    }

    [Fact]
    public async Task An_agent_that_never_answers_exits_1_with_a_sentence_at_the_timeout()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        api.Fakes.Hypervisor.AgentAnswer = AgentPing.NotAnswering;

        var result = await CliRunner.RunAsync(api, "server", "ping", "web1", "--timeout", "1");

        result.Exit.ShouldBe(ExitCodes.Failed);
        result.Err.ShouldContain("the guest agent of server 'web1' did not answer within 1 s");
        result.Err.ShouldNotContain("   at ");
        api.Fakes.Hypervisor.LastPing!.Value.Timeout.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_guest_without_an_agent_channel_exits_4_at_once()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        api.Fakes.Hypervisor.AgentAnswer = AgentPing.NoAgentChannel;

        var result = await CliRunner.RunAsync(api, "server", "ping", "web1", "--timeout", "60");

        result.Exit.ShouldBe(ExitCodes.Conflict);
        result.Err.ShouldContain("hw_qemu_guest_agent=yes");
    }

    [Fact]
    public async Task An_unknown_server_exits_3()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "server", "ping", "ghost", "--timeout", "5");

        result.Exit.ShouldBe(ExitCodes.NotFound);
        api.Fakes.Hypervisor.LastPing.ShouldBeNull();
    }
}

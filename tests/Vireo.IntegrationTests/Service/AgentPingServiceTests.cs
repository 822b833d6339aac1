using System.Diagnostics;

namespace Vireo.IntegrationTests.Service;

/// <summary>`vireo server ping` through the service's vireo-agent-ping endpoint, against real guests.</summary>
public sealed class AgentPingServiceTests
{
    [Fact]
    public async Task A_guest_without_an_agent_channel_exits_4_at_once_an_off_guest_exits_1_at_the_timeout_and_an_unknown_server_3()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        var import = await service.CliAsync("image", "import", "no-agent", "--file", TestImage.Qcow2Path, "--disk-format", "qcow2");
        import.ExitCode.ShouldBe(0, import.ToString());
        var name = "noagent-" + Guid.NewGuid().ToString("N")[..6];
        var create = await service.CliAsync("server", "create", name, "--image", "no-agent", "--flavor", "m1.tiny", "--wait", "--timeout", "300");
        create.ExitCode.ShouldBe(0, create.ToString());
        var id = Guid.Parse(create.Json.GetProperty("id").GetString()!);
        try
        {
            var clock = Stopwatch.StartNew();
            var noChannel = await service.CliAsync("server", "ping", name, "--timeout", "240");
            noChannel.ExitCode.ShouldBe(4, noChannel.ToString());
            noChannel.Stderr.ShouldContain("hw_qemu_guest_agent=yes");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(120), "a guest that can never answer is refused at the first ping, not after the timeout");

            await ServiceScenario.PowerAsync(service, name, on: false);
            var off = await service.CliAsync("server", "ping", name, "--timeout", "2");
            off.ExitCode.ShouldBe(1, off.ToString());
            off.Stderr.ShouldContain($"the guest agent of server '{name}' did not answer within 2 s");

            var unknown = await service.CliAsync("server", "ping", "ghost-" + name);
            unknown.ExitCode.ShouldBe(3, unknown.ToString());
        }
        finally
        {
            await service.CliAsync("server", "delete", id.ToString(), "--wait");
        }

        ServiceScenario.ShouldLeaveNothing(service, id);
    }
}

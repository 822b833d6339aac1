using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>The agent ping and the console log, both reached through the ports (hypervisor, instance disks).</summary>
public sealed class GuestAgentAndConsoleTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_running_guest_whose_agent_answers_is_true_and_a_stopped_one_false()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();

        (await service.PingGuestAgentAsync(created.Id.ToString(), TimeSpan.FromSeconds(5), Callers.Admin, Ct)).ShouldBeTrue();
        await service.StopServerAsync(created.Id.ToString(), Callers.Admin, Ct);
        (await service.PingGuestAgentAsync(created.Id.ToString(), TimeSpan.FromSeconds(5), Callers.Admin, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_guest_without_an_agent_channel_is_a_conflict_naming_the_image_property()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.AgentAnswer = AgentPing.NoAgentChannel;

        var e = await Should.ThrowAsync<VireoException>(() => _host.Service().PingGuestAgentAsync(created.Id.ToString(), TimeSpan.FromSeconds(1), Callers.Admin, Ct));

        e.Kind.ShouldBe(ErrorKind.Conflict);
        e.Message.ShouldContain("hw_qemu_guest_agent=yes");
    }

    [Fact]
    public async Task An_unknown_server_is_not_found_and_the_hypervisor_is_not_asked()
    {
        var e = await Should.ThrowAsync<VireoException>(() => _host.Service().PingGuestAgentAsync(Guid.NewGuid().ToString(), TimeSpan.FromSeconds(1), Callers.Admin, Ct));

        e.Kind.ShouldBe(ErrorKind.NotFound);
        _host.Hypervisor.Calls.ShouldNotContain(call => call.StartsWith("ping ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(61)]
    public async Task A_timeout_outside_0_to_60_s_is_invalid_input(int seconds)
    {
        var created = await _host.CreateActiveAsync();

        var e = await Should.ThrowAsync<VireoException>(() => _host.Service().PingGuestAgentAsync(created.Id.ToString(), TimeSpan.FromSeconds(seconds), Callers.Admin, Ct));

        e.Kind.ShouldBe(ErrorKind.InvalidInput);
        e.Message.ShouldContain("timeout");
    }

    [Fact]
    public async Task The_console_output_is_the_tail_of_the_log_and_empty_before_one_is_written()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();

        (await service.ReadConsoleOutputAsync(created.Id.ToString(), null, Callers.Admin, Ct)).ShouldBe(string.Empty);
        _host.Disks.ConsoleLogs[created.Id] = "one\ntwo\nthree\n";
        (await service.ReadConsoleOutputAsync(created.Id.ToString(), 2, Callers.Admin, Ct)).ShouldBe("two\nthree\n");
    }

    [Fact]
    public async Task A_server_deleted_while_its_log_is_read_is_not_found()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();
        _host.Disks.ConsoleLogs[created.Id] = "boot\n";
        _host.Disks.ConsoleLogs.BeforeRead = id => service.DeleteServerAsync(id.ToString(), Callers.Admin, Ct);

        var e = await Should.ThrowAsync<VireoException>(() => service.ReadConsoleOutputAsync(created.Id.ToString(), 5, Callers.Admin, Ct));

        e.Kind.ShouldBe(ErrorKind.NotFound);
    }
}

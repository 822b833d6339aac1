using System.Text.Json;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests.Integration;

public sealed class GuestAgentTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    private LibvirtHypervisor Hypervisor => host.Hypervisor;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Ping_finds_no_channel_for_a_guest_without_one_and_no_answer_from_an_off_guest_or_a_silent_agent()
    {
        var plain = host.NewSpec("agent-none");
        var silent = host.NewSpec("agent-silent", agent: true);
        await using var plainScope = new GuestScope(host, plain.InstanceId);
        await using var silentScope = new GuestScope(host, silent.InstanceId);
        await Hypervisor.DefineGuestAsync(plain, Cancel);
        await Hypervisor.DefineGuestAsync(silent, Cancel);

        (await Hypervisor.PingAgentAsync(silent.InstanceId, PingTimeout, Cancel)).ShouldBe(AgentPing.NotAnswering);
        await Hypervisor.StartGuestAsync(plain.InstanceId, Cancel);
        await Hypervisor.StartGuestAsync(silent.InstanceId, Cancel);

        (await Hypervisor.PingAgentAsync(plain.InstanceId, PingTimeout, Cancel)).ShouldBe(AgentPing.NoAgentChannel);
        (await Hypervisor.PingAgentAsync(silent.InstanceId, PingTimeout, Cancel)).ShouldBe(AgentPing.NotAnswering);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_command_to_an_agent_that_is_not_running_is_unavailable_and_to_an_unknown_instance_not_found()
    {
        var silent = host.NewSpec("agent-command", agent: true);
        await using var scope = new GuestScope(host, silent.InstanceId);
        await Hypervisor.DefineGuestAsync(silent, Cancel);
        await Hypervisor.StartGuestAsync(silent.InstanceId, Cancel);

        var e = await Should.ThrowAsync<VireoException>(
            () => Hypervisor.AgentCommandAsync(silent.InstanceId, LibvirtHypervisor.GuestPingCommand, PingTimeout, Cancel));
        e.Kind.ShouldBe(ErrorKind.Unavailable);
        e.Message.ShouldContain("guest agent of instance " + silent.InstanceId);

        (await Should.ThrowAsync<VireoException>(
            () => Hypervisor.AgentCommandAsync(Guid.NewGuid(), LibvirtHypervisor.GuestPingCommand, PingTimeout, Cancel))).Kind.ShouldBe(ErrorKind.NotFound);
    }

    /// <summary>The real thing: the test image boots, its qemu-ga answers, and the ACPI button powers it off cleanly.</summary>
    [Fact(Timeout = 300_000)]
    public async Task A_booted_guest_answers_its_agent_and_shuts_down_gracefully_on_acpi()
    {
        var spec = host.NewBootableSpec("agent-boot");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);

        var until = DateTime.UtcNow + LibvirtHostFixture.Deadline;
        while (await Hypervisor.PingAgentAsync(spec.InstanceId, PingTimeout, Cancel) != AgentPing.Answered)
        {
            DateTime.UtcNow.ShouldBeLessThan(until, $"the guest agent did not answer within {LibvirtHostFixture.Deadline}; console: {Console(spec)}");
            await Task.Delay(500, Cancel);
        }

        var reply = await Hypervisor.AgentCommandAsync(spec.InstanceId, """{"execute":"guest-info"}""", TimeSpan.FromSeconds(10), Cancel);
        using (var json = JsonDocument.Parse(reply))
        {
            json.RootElement.GetProperty("return").GetProperty("version").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        await Hypervisor.StopGuestAsync(spec.InstanceId, graceful: true, TimeSpan.FromSeconds(90), Cancel);

        using var domain = host.Raw.LookupDomainByUuid(spec.InstanceId);
        var state = domain.GetState();
        state.State.ShouldBe(DomainState.Shutoff);
        state.ReasonName.ShouldBe("shutdown", "the guest should have powered itself off, not been destroyed");
        File.ReadAllText(Path.Combine(spec.Disks.InstanceDirectory, "console.log")).ShouldNotBeEmpty();
    }

    private static string Console(Vireo.Core.Ports.GuestSpec spec)
    {
        var log = Path.Combine(spec.Disks.InstanceDirectory, "console.log");
        if (!File.Exists(log))
        {
            return "(no console.log)";
        }

        var text = File.ReadAllText(log);
        return text.Length <= 2000 ? text : text[^2000..];
    }
}

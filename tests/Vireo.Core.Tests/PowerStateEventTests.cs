using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

public sealed class PowerStateEventTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_guest_shut_down_from_inside_makes_its_server_stopped()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.ChangeBehindOurBack(created.Id, PowerState.Shutdown);

        var updated = await _host.Service().ApplyPowerStateChangeAsync(new PowerStateChange(created.Id, PowerState.Shutdown, DateTimeOffset.UnixEpoch), Callers.Admin, Ct);

        updated.ShouldNotBeNull().VmState.ShouldBe(VmState.Stopped);
        updated.PowerState.ShouldBe(PowerState.Shutdown);
    }

    [Fact]
    public async Task A_late_event_is_checked_against_the_guest_as_it_is_now()
    {
        var created = await _host.CreateActiveAsync();

        // The guest runs; an old "shut down" event arrives late.
        var updated = await _host.Service().ApplyPowerStateChangeAsync(new PowerStateChange(created.Id, PowerState.Shutdown, DateTimeOffset.UnixEpoch), Callers.Admin, Ct);

        updated.ShouldNotBeNull().VmState.ShouldBe(VmState.Active);
    }

    [Fact]
    public async Task A_guest_removed_behind_our_back_puts_its_server_in_error()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.ChangeBehindOurBack(created.Id, power: null);

        var updated = await _host.Service().ApplyPowerStateChangeAsync(new PowerStateChange(created.Id, PowerState.NoState, DateTimeOffset.UnixEpoch), Callers.Admin, Ct);

        updated.ShouldNotBeNull().VmState.ShouldBe(VmState.Error);
        updated.FaultReason.ShouldBe("its guest disappeared while it was active; delete it and create it again");
    }

    [Fact]
    public async Task A_stopped_servers_guest_started_by_hand_is_forced_off()
    {
        var created = await _host.CreateActiveAsync();
        await _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        _host.Hypervisor.ChangeBehindOurBack(created.Id, PowerState.Running);

        await _host.Service().ApplyPowerStateChangeAsync(new PowerStateChange(created.Id, PowerState.Running, DateTimeOffset.UnixEpoch), Callers.Admin, Ct);

        _host.Hypervisor.PowerOf(created.Id).ShouldBe(PowerState.Shutdown);
        _host.Row(created.Id).VmState.ShouldBe(VmState.Stopped);
    }

    [Fact]
    public async Task Events_for_a_server_with_an_operation_running_are_left_to_the_operation()
    {
        var created = await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StopGuestAsync));
        var service = _host.Service();
        var stop = await service.BeginStopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        await reached;

        (await service.ApplyPowerStateChangeAsync(new PowerStateChange(created.Id, PowerState.Shutdown, DateTimeOffset.UnixEpoch), Callers.Admin, Ct)).ShouldBeNull();

        _host.Hypervisor.Release(nameof(IHypervisor.StopGuestAsync));
        (await stop.Completion).VmState.ShouldBe(VmState.Stopped);
    }

    [Fact]
    public async Task Following_the_event_stream_applies_each_event()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();
        var errors = new List<Exception>();
        var following = service.FollowPowerStateChangesAsync((_, error) => errors.Add(error), Callers.Admin, Ct);

        _host.Hypervisor.ChangeBehindOurBack(created.Id, PowerState.Shutdown);
        _host.Hypervisor.CompleteEvents();
        await following;

        errors.ShouldBeEmpty();
        _host.Row(created.Id).VmState.ShouldBe(VmState.Stopped);
    }
}

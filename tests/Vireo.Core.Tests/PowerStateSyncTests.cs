using static Vireo.Core.Tests.Builders;

namespace Vireo.Core.Tests;

public sealed class PowerStateSyncTests
{
    private static readonly DateTimeOffset Later = T0.AddMinutes(5);

    [Fact]
    public void An_active_server_whose_guest_shut_down_by_itself_becomes_stopped()
    {
        var decision = PowerStateSync.Decide(AnInstance(VmState.Active), PowerState.Shutdown, Later);
        decision.Changed.ShouldBeTrue();
        decision.ForceOffGuest.ShouldBeFalse();
        decision.Updated.VmState.ShouldBe(VmState.Stopped);
        decision.Updated.PowerState.ShouldBe(PowerState.Shutdown);
        decision.Updated.UpdatedAt.ShouldBe(Later);
    }

    [Fact]
    public void An_active_server_whose_guest_crashed_is_forced_off_and_stopped()
    {
        var decision = PowerStateSync.Decide(AnInstance(VmState.Active), PowerState.Crashed, Later);
        decision.ForceOffGuest.ShouldBeTrue();
        decision.Updated.VmState.ShouldBe(VmState.Stopped);
    }

    [Theory]
    [InlineData(PowerState.Running)]
    [InlineData(PowerState.Paused)]
    [InlineData(PowerState.Suspended)]
    public void A_stopped_server_whose_guest_runs_has_its_guest_forced_off(PowerState observed)
    {
        var decision = PowerStateSync.Decide(AnInstance(VmState.Stopped, powerState: PowerState.Shutdown), observed, Later);
        decision.ForceOffGuest.ShouldBeTrue();
        decision.Updated.VmState.ShouldBe(VmState.Stopped);
        decision.Updated.PowerState.ShouldBe(PowerState.Shutdown);
    }

    [Fact]
    public void Agreement_changes_nothing()
    {
        var active = AnInstance(VmState.Active, powerState: PowerState.Running);
        PowerStateSync.Decide(active, PowerState.Running, Later).ShouldBe(new PowerSyncDecision(active, false, false));
        var stopped = AnInstance(VmState.Stopped, powerState: PowerState.Shutdown);
        PowerStateSync.Decide(stopped, PowerState.Shutdown, Later).Changed.ShouldBeFalse();
    }

    [Theory]
    [InlineData(PowerState.Running)]
    [InlineData(PowerState.Shutdown)]
    [InlineData(PowerState.Crashed)]
    public void An_errored_server_only_records_the_power_state(PowerState observed)
    {
        var decision = PowerStateSync.Decide(AnInstance(VmState.Error, powerState: PowerState.NoState), observed, Later);
        decision.Updated.VmState.ShouldBe(VmState.Error);
        decision.Updated.PowerState.ShouldBe(observed);
        decision.ForceOffGuest.ShouldBeFalse();
    }

    [Fact]
    public void An_active_server_whose_guest_was_paused_by_hand_stays_active_with_the_power_recorded()
    {
        var decision = PowerStateSync.Decide(AnInstance(VmState.Active), PowerState.Paused, Later);
        decision.Updated.VmState.ShouldBe(VmState.Active);
        decision.Updated.PowerState.ShouldBe(PowerState.Paused);
    }

    [Fact]
    public void A_paused_server_whose_guest_runs_again_is_active() =>
        PowerStateSync.Decide(AnInstance(VmState.Paused, powerState: PowerState.Paused), PowerState.Running, Later).Updated.VmState.ShouldBe(VmState.Active);

    [Fact]
    public void Servers_with_a_task_in_flight_building_or_deleted_are_left_to_their_operation()
    {
        foreach (var instance in new[]
        {
            AnInstance(VmState.Active, TaskState.PoweringOff),
            AnInstance(VmState.Building, TaskState.Spawning, PowerState.NoState),
            AnInstance(VmState.Deleted, null, PowerState.NoState),
        })
        {
            foreach (var observed in Enum.GetValues<PowerState>())
            {
                PowerStateSync.Decide(instance, observed, Later).Changed.ShouldBeFalse();
            }
        }
    }

    [Theory]
    [InlineData(PowerState.Running, VmState.Active, PowerState.Running, false)]
    [InlineData(PowerState.Shutdown, VmState.Stopped, PowerState.Shutdown, false)]
    [InlineData(PowerState.NoState, VmState.Stopped, PowerState.NoState, false)]
    [InlineData(PowerState.Crashed, VmState.Stopped, PowerState.Shutdown, true)]
    [InlineData(PowerState.Paused, VmState.Paused, PowerState.Paused, false)]
    [InlineData(PowerState.Suspended, VmState.Suspended, PowerState.Suspended, false)]
    public void Settling_an_interrupted_task_clears_it_and_follows_the_guest(PowerState observed, VmState vmState, PowerState power, bool forceOff)
    {
        var decision = PowerStateSync.Settle(AnInstance(VmState.Active, TaskState.PoweringOff), observed, Later);
        decision.Updated.TaskState.ShouldBeNull();
        decision.Updated.VmState.ShouldBe(vmState);
        decision.Updated.PowerState.ShouldBe(power);
        decision.ForceOffGuest.ShouldBe(forceOff);
    }
}

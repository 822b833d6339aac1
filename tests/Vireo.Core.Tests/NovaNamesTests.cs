namespace Vireo.Core.Tests;

public sealed class NovaNamesTests
{
    [Theory]
    [InlineData(VmState.Active, "active")]
    [InlineData(VmState.Building, "building")]
    [InlineData(VmState.Stopped, "stopped")]
    [InlineData(VmState.Deleted, "deleted")]
    [InlineData(VmState.Error, "error")]
    [InlineData(VmState.Paused, "paused")]
    [InlineData(VmState.Suspended, "suspended")]
    [InlineData(VmState.SoftDeleted, "soft-delete")]
    [InlineData(VmState.ShelvedOffloaded, "shelved_offloaded")]
    public void Vm_states_use_novas_strings(VmState state, string name)
    {
        state.ToNova().ShouldBe(name);
        NovaNames.ParseVmState(name).ShouldBe(state);
    }

    [Theory]
    [InlineData(TaskState.Scheduling, "scheduling")]
    [InlineData(TaskState.BlockDeviceMapping, "block_device_mapping")]
    [InlineData(TaskState.Spawning, "spawning")]
    [InlineData(TaskState.PoweringOff, "powering-off")]
    [InlineData(TaskState.PoweringOn, "powering-on")]
    [InlineData(TaskState.Rebooting, "rebooting")]
    [InlineData(TaskState.RebootStarted, "reboot_started")]
    [InlineData(TaskState.RebootingHard, "rebooting_hard")]
    [InlineData(TaskState.RebootStartedHard, "reboot_started_hard")]
    [InlineData(TaskState.Deleting, "deleting")]
    public void Task_states_use_novas_strings(TaskState state, string name)
    {
        state.ToNova().ShouldBe(name);
        NovaNames.ParseTaskState(name).ShouldBe(state);
    }

    [Fact]
    public void Every_state_round_trips_through_its_name()
    {
        foreach (var state in Enum.GetValues<VmState>())
        {
            NovaNames.ParseVmState(state.ToNova()).ShouldBe(state);
        }

        foreach (var state in Enum.GetValues<TaskState>())
        {
            NovaNames.ParseTaskState(state.ToNova()).ShouldBe(state);
        }
    }

    [Fact]
    public void No_task_is_null_on_the_wire()
    {
        ((TaskState?)null).ToNova().ShouldBeNull();
        NovaNames.ParseTaskState(null).ShouldBeNull();
    }

    [Theory]
    [InlineData(PowerState.NoState, 0)]
    [InlineData(PowerState.Running, 1)]
    [InlineData(PowerState.Paused, 3)]
    [InlineData(PowerState.Shutdown, 4)]
    [InlineData(PowerState.Crashed, 6)]
    [InlineData(PowerState.Suspended, 7)]
    public void Power_states_carry_novas_integers(PowerState state, int value)
    {
        ((int)state).ShouldBe(value);
        NovaNames.ParsePowerState(value).ShouldBe(state);
    }

    [Fact]
    public void Unknown_names_are_an_internal_error_naming_the_value()
    {
        Should.Throw<VireoException>(() => NovaNames.ParseVmState("runing")).Message.ShouldContain("'runing'");
        Should.Throw<VireoException>(() => NovaNames.ParseTaskState("x")).Kind.ShouldBe(ErrorKind.Internal);
        Should.Throw<VireoException>(() => NovaNames.ParsePowerState(2)).Kind.ShouldBe(ErrorKind.Internal);
    }
}

namespace Vireo.Core.Tests;

public sealed class ServerStatusTests
{
    [Theory]
    [InlineData(VmState.Building, null, "BUILD")]
    [InlineData(VmState.Building, TaskState.Spawning, "BUILD")]
    [InlineData(VmState.Active, null, "ACTIVE")]
    [InlineData(VmState.Active, TaskState.PoweringOff, "ACTIVE")]
    [InlineData(VmState.Active, TaskState.Deleting, "ACTIVE")]
    [InlineData(VmState.Active, TaskState.Rebooting, "REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootPending, "REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootStarted, "REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootingHard, "HARD_REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootStartedHard, "HARD_REBOOT")]
    [InlineData(VmState.Active, TaskState.Migrating, "MIGRATING")]
    [InlineData(VmState.Stopped, null, "SHUTOFF")]
    [InlineData(VmState.Stopped, TaskState.PoweringOn, "SHUTOFF")]
    [InlineData(VmState.Stopped, TaskState.RebootingHard, "SHUTOFF")]
    [InlineData(VmState.Error, null, "ERROR")]
    [InlineData(VmState.Error, TaskState.Deleting, "ERROR")]
    [InlineData(VmState.Deleted, null, "DELETED")]
    [InlineData(VmState.Paused, null, "PAUSED")]
    [InlineData(VmState.Paused, TaskState.Migrating, "MIGRATING")]
    [InlineData(VmState.Suspended, null, "SUSPENDED")]
    [InlineData(VmState.Rescued, null, "RESCUE")]
    [InlineData(VmState.Resized, null, "VERIFY_RESIZE")]
    [InlineData(VmState.SoftDeleted, null, "SOFT_DELETED")]
    [InlineData(VmState.Shelved, null, "SHELVED")]
    [InlineData(VmState.ShelvedOffloaded, null, "SHELVED_OFFLOADED")]
    public void Status_follows_novas_state_map(VmState vmState, TaskState? taskState, string status) =>
        ServerStatus.For(vmState, taskState).ShouldBe(status);

    [Fact]
    public void Every_vm_state_has_a_status_so_unknown_is_never_shown_for_a_known_state()
    {
        foreach (var state in Enum.GetValues<VmState>())
        {
            ServerStatus.For(state, null).ShouldNotBe(ServerStatus.Unknown);
        }
    }

    [Fact]
    public void An_out_of_range_vm_state_is_unknown() => ServerStatus.For((VmState)99, null).ShouldBe("UNKNOWN");
}

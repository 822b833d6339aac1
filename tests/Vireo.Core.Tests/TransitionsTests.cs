using static Vireo.Core.Tests.Builders;

namespace Vireo.Core.Tests;

public sealed class TransitionsTests
{
    public static TheoryData<ComputeOperation, VmState[]> NovaAllowLists => new()
    {
        { ComputeOperation.Start, [VmState.Stopped] },
        { ComputeOperation.Stop, [VmState.Active, VmState.Error] },
        { ComputeOperation.RebootSoft, [VmState.Active] },
        { ComputeOperation.RebootHard, [VmState.Active, VmState.Stopped, VmState.Paused, VmState.Suspended, VmState.Error] },
    };

    [Theory]
    [MemberData(nameof(NovaAllowLists))]
    public void Idle_instances_may_run_an_operation_exactly_from_novas_allowed_vm_states(ComputeOperation operation, VmState[] allowed)
    {
        foreach (var state in Enum.GetValues<VmState>())
        {
            Transitions.IsAllowed(operation, state, null).ShouldBe(allowed.Contains(state), $"{operation} from {state}");
        }
    }

    [Fact]
    public void Delete_is_allowed_from_every_state_and_over_every_task_but_not_twice()
    {
        foreach (var state in Enum.GetValues<VmState>().Where(state => state != VmState.Deleted))
        {
            Transitions.IsAllowed(ComputeOperation.Delete, state, null).ShouldBeTrue();
            foreach (var task in Enum.GetValues<TaskState>())
            {
                Transitions.IsAllowed(ComputeOperation.Delete, state, task).ShouldBeTrue();
            }
        }

        Transitions.IsAllowed(ComputeOperation.Delete, VmState.Deleted, null).ShouldBeFalse();
    }

    [Theory]
    [InlineData(ComputeOperation.Start, VmState.Stopped, TaskState.PoweringOff)]
    [InlineData(ComputeOperation.Stop, VmState.Active, TaskState.Rebooting)]
    [InlineData(ComputeOperation.RebootSoft, VmState.Active, TaskState.Rebooting)]
    [InlineData(ComputeOperation.RebootHard, VmState.Active, TaskState.PoweringOff)]
    [InlineData(ComputeOperation.Stop, VmState.Active, TaskState.Deleting)]
    public void An_operation_in_flight_blocks_the_others(ComputeOperation operation, VmState state, TaskState task) =>
        Transitions.IsAllowed(operation, state, task).ShouldBeFalse();

    [Fact]
    public void A_hard_reboot_may_take_over_a_soft_reboot_as_in_nova()
    {
        Transitions.IsAllowed(ComputeOperation.RebootHard, VmState.Active, TaskState.Rebooting).ShouldBeTrue();
        Transitions.IsAllowed(ComputeOperation.RebootHard, VmState.Active, TaskState.RebootStarted).ShouldBeTrue();
    }

    [Fact]
    public void Refusing_a_stop_of_a_stopped_server_says_what_it_is_what_is_needed_and_why()
    {
        var refusal = Should.Throw<VireoException>(() => Transitions.EnsureAllowed(ComputeOperation.Stop, AnInstance(VmState.Stopped)));
        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldBe("server 'web1' is stopped; 'stop' needs it active or error (it is already stopped)");
    }

    [Fact]
    public void Refusing_a_soft_reboot_of_a_stopped_server_suggests_starting_it() =>
        Transitions.Refusal(ComputeOperation.RebootSoft, AnInstance(VmState.Stopped))
            .ShouldBe("server 'web1' is stopped; 'reboot' needs it active (start it instead)");

    [Fact]
    public void Refusing_anything_while_building_says_to_wait_for_the_build() =>
        Transitions.Refusal(ComputeOperation.Start, AnInstance(VmState.Building, TaskState.Spawning))
            .ShouldBe("server 'web1' is building; 'start' needs it stopped (wait for its build to finish)");

    [Fact]
    public void Refusing_because_of_a_task_names_the_task() =>
        Transitions.Refusal(ComputeOperation.Start, AnInstance(VmState.Stopped, TaskState.PoweringOff))
            .ShouldBe("server 'web1' is busy (powering-off); 'start' needs it idle (try again when that finishes)");

    [Fact]
    public void A_refusal_is_given_exactly_when_the_table_disallows()
    {
        foreach (var operation in Enum.GetValues<ComputeOperation>())
        {
            foreach (var state in Enum.GetValues<VmState>())
            {
                foreach (var task in Enum.GetValues<TaskState>().Cast<TaskState?>().Append(null))
                {
                    var refusal = Transitions.Refusal(operation, AnInstance(state, task));
                    (refusal is null).ShouldBe(Transitions.IsAllowed(operation, state, task), $"{operation} from {state}/{task}");
                }
            }
        }
    }

    [Fact]
    public void Every_operation_has_a_rule_whose_task_it_may_not_start_twice_except_delete()
    {
        foreach (var operation in Enum.GetValues<ComputeOperation>())
        {
            var rule = Transitions.RuleFor(operation);
            rule.Operation.ShouldBe(operation);
            if (operation != ComputeOperation.Delete)
            {
                rule.AllowedTasks.ShouldNotContain(rule.Task);
            }
        }
    }
}

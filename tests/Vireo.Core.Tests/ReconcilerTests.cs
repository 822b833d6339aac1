using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;
using static Vireo.Core.Tests.Builders;

namespace Vireo.Core.Tests;

public sealed class ReconcilerTests
{
    private static readonly Guid Id = Guid.Parse("00000000-0000-0000-0000-000000000001");

    private static IReadOnlyList<ReconcileAction> Decide(Instance? row, PowerState? guest, bool directory) =>
        Reconciler.Decide(new ReconcileFacts(
            FakeHost.HostName,
            row is null ? [] : [row with { Id = Id }],
            guest is { } power ? [new GuestInfo(Id, power)] : [],
            directory ? [Id] : []));

    [Fact]
    public void A_guest_without_a_row_is_destroyed_and_a_directory_without_a_row_removed() =>
        Decide(null, PowerState.Running, directory: true).ShouldBe([new DestroyGuest(Id), new RemoveFiles(Id)]);

    [Fact]
    public void A_deleted_row_counts_as_no_row() =>
        Decide(AnInstance(VmState.Deleted, powerState: PowerState.NoState), PowerState.Shutdown, directory: true)
            .ShouldBe([new DestroyGuest(Id), new RemoveFiles(Id)]);

    [Fact]
    public void A_build_without_a_running_guest_is_cleaned_and_put_in_error() =>
        Decide(AnInstance(VmState.Building, TaskState.Spawning, PowerState.NoState), PowerState.Shutdown, directory: true)
            .ShouldBe([new DestroyGuest(Id), new RemoveFiles(Id), new MarkError(Id, Reconciler.BuildInterrupted)]);

    [Fact]
    public void A_build_that_only_wrote_its_row_is_put_in_error() =>
        Decide(AnInstance(VmState.Building, TaskState.Scheduling, PowerState.NoState), null, directory: false)
            .ShouldBe([new MarkError(Id, Reconciler.BuildInterrupted)]);

    [Fact]
    public void A_build_whose_guest_runs_is_active() =>
        Decide(AnInstance(VmState.Building, TaskState.Spawning, PowerState.NoState), PowerState.Running, directory: true)
            .ShouldBe([new MarkActive(Id)]);

    [Fact]
    public void An_interrupted_delete_is_finished() =>
        Decide(AnInstance(VmState.Active, TaskState.Deleting), PowerState.Running, directory: true)
            .ShouldBe([new DestroyGuest(Id), new RemoveFiles(Id), new FinishDelete(Id)]);

    [Fact]
    public void An_interrupted_delete_with_nothing_left_only_finishes_the_row() =>
        Decide(AnInstance(VmState.Error, TaskState.Deleting), null, directory: false).ShouldBe([new FinishDelete(Id)]);

    [Theory]
    [InlineData(VmState.Active)]
    [InlineData(VmState.Stopped)]
    [InlineData(VmState.Paused)]
    public void A_server_whose_guest_is_gone_goes_to_error(VmState state) =>
        Decide(AnInstance(state), null, directory: true).ShouldBe([new MarkError(Id, Reconciler.GuestDisappeared(state))]);

    [Fact]
    public void An_errored_server_without_a_guest_keeps_its_files_and_only_records_no_state()
    {
        Decide(AnInstance(VmState.Error, powerState: PowerState.NoState), null, directory: true).ShouldBeEmpty();
        Decide(AnInstance(VmState.Error, powerState: PowerState.Running), null, directory: true).ShouldBe([new SyncPower(Id, PowerState.NoState)]);
    }

    [Fact]
    public void An_interrupted_power_task_is_settled_from_the_guest() =>
        Decide(AnInstance(VmState.Active, TaskState.PoweringOff), PowerState.Shutdown, directory: true).ShouldBe([new SettleTask(Id, PowerState.Shutdown)]);

    [Fact]
    public void An_idle_server_that_disagrees_with_its_guest_is_synced_and_one_that_agrees_is_left()
    {
        Decide(AnInstance(VmState.Active), PowerState.Shutdown, directory: true).ShouldBe([new SyncPower(Id, PowerState.Shutdown)]);
        Decide(AnInstance(VmState.Active), PowerState.Running, directory: true).ShouldBeEmpty();
    }

    [Fact]
    public void Rows_of_other_hosts_their_guests_and_files_are_left_alone() =>
        Decide(AnInstance(VmState.Building, TaskState.Spawning, host: "compute2"), PowerState.Running, directory: true).ShouldBeEmpty();

    [Fact]
    public void Actions_come_ordered_by_instance_and_each_instance_guest_first()
    {
        var a = Guid.Parse("00000000-0000-0000-0000-00000000000a");
        var b = Guid.Parse("00000000-0000-0000-0000-00000000000b");
        var actions = Reconciler.Decide(new ReconcileFacts(FakeHost.HostName, [], [new GuestInfo(b, PowerState.Running), new GuestInfo(a, PowerState.Running)], [b, a]));
        actions.ShouldBe([new DestroyGuest(a), new RemoveFiles(a), new DestroyGuest(b), new RemoveFiles(b)]);
    }

    private static IEnumerable<(VmState? VmState, TaskState? Task, PowerState? Guest, bool Directory)> EverySituation()
    {
        IEnumerable<VmState?> vmStates = [null, .. Enum.GetValues<VmState>().Cast<VmState?>()];
        IEnumerable<TaskState?> tasks = [null, .. Enum.GetValues<TaskState>().Cast<TaskState?>()];
        IEnumerable<PowerState?> guests = [null, .. Enum.GetValues<PowerState>().Cast<PowerState?>()];
        foreach (var vmState in vmStates)
        {
            foreach (var task in vmState is null ? [null] : tasks)
            {
                foreach (var guest in guests)
                {
                    yield return (vmState, task, guest, false);
                    yield return (vmState, task, guest, true);
                }
            }
        }
    }

    /// <summary>
    /// Every combination of row (none, or any vm_state x task), guest (none, or any power
    /// state) and directory: after the repairs the invariants hold, and deciding again
    /// finds nothing to do.
    /// </summary>
    [Fact]
    public void After_the_repairs_every_situation_is_consistent_and_stable()
    {
        var situations = EverySituation().ToList();
        var failures = new List<string>();
        foreach (var (vmState, task, guest, directory) in situations)
        {
            var situation = $"row {vmState?.ToNova() ?? "none"}/{task?.ToNova() ?? "idle"}, guest {guest?.ToNova() ?? "none"}, directory {directory}";
            try
            {
                var model = new Model(vmState is { } state ? AnInstance(state, task, PowerState.NoState, id: Id) : null, guest, directory);
                model.Apply(Decide(model.Row, model.Guest, model.Directory));
                model.ShouldBeConsistent();
                Decide(model.Row, model.Guest, model.Directory).ShouldBeEmpty("a second pass must find nothing");
            }
            catch (ShouldAssertException failure)
            {
                failures.Add($"{situation}: {failure.Message}");
            }
        }

        situations.Count.ShouldBe((Enum.GetValues<VmState>().Length * (Enum.GetValues<TaskState>().Length + 1) + 1) * (Enum.GetValues<PowerState>().Length + 1) * 2);
        failures.ShouldBeEmpty();
    }

    /// <summary>What the executor does, on one instance's facts.</summary>
    private sealed class Model(Instance? row, PowerState? guest, bool directory)
    {
        public Instance? Row { get; private set; } = row;

        public PowerState? Guest { get; private set; } = guest;

        public bool Directory { get; private set; } = directory;

        public void Apply(IEnumerable<ReconcileAction> actions)
        {
            foreach (var action in actions)
            {
                switch (action)
                {
                    case DestroyGuest:
                        Guest = null;
                        break;
                    case RemoveFiles:
                        Directory = false;
                        break;
                    case MarkError error:
                        Row = Row! with { VmState = VmState.Error, TaskState = null, PowerState = Guest ?? PowerState.NoState, FaultReason = error.Reason };
                        break;
                    case MarkActive:
                        Row = Row! with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running };
                        break;
                    case SettleTask settle:
                        Apply(PowerStateSync.Settle(Row!, settle.Observed, T0));
                        break;
                    case SyncPower sync:
                        Apply(PowerStateSync.Decide(Row!, sync.Observed, T0));
                        break;
                    case FinishDelete:
                        Row = Row! with { VmState = VmState.Deleted, TaskState = null, PowerState = PowerState.NoState };
                        break;
                    default:
                        throw new InvalidOperationException($"unexpected {action}");
                }
            }
        }

        public void ShouldBeConsistent()
        {
            var live = Row is { IsDeleted: false };
            if (!live)
            {
                Guest.ShouldBeNull("a guest without a row");
                Directory.ShouldBeFalse("a directory without a row");
                return;
            }

            Row!.VmState.ShouldNotBe(VmState.Building);
            Row.TaskState.ShouldBeNull();
            if (Guest is null)
            {
                Row.VmState.ShouldBe(VmState.Error, "a row claiming a guest that is gone");
                Row.PowerState.ShouldBe(PowerState.NoState);
            }
            else
            {
                Row.PowerState.ShouldBe(Guest.Value, "the row records what the guest does");
            }

            if (Row.VmState == VmState.Stopped)
            {
                Guest.ShouldNotBe(PowerState.Running);
            }
        }

        private void Apply(PowerSyncDecision decision)
        {
            if (decision.ForceOffGuest)
            {
                Guest = PowerState.Shutdown;
            }

            Row = decision.Updated;
        }
    }
}

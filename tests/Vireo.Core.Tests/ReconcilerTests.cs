using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;
using static Vireo.Core.Tests.Builders;

namespace Vireo.Core.Tests;

public sealed class ReconcilerTests
{
    private static readonly Guid Id = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset Made = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DirectoryOwner Mine = new(FakeDisks.InstallationId, FakeHost.HostName, Id, Made);

    private static ReconcileFacts Facts(Instance? row, PowerState? guest, DirectoryOwner? owner, bool directory = true) => new(
        FakeHost.HostName,
        FakeDisks.InstallationId,
        row is null ? [] : [row with { Id = Id }],
        guest is { } power ? [new GuestInfo(Id, power)] : [],
        directory ? [new InstanceDirectoryEntry(Id, $"/instances/{Id}", owner)] : []);

    /// <param name="directory">An instance directory this installation made on this host.</param>
    private static IReadOnlyList<ReconcileAction> Decide(Instance? row, PowerState? guest, bool directory) =>
        Reconciler.Decide(Facts(row, guest, Mine, directory));

    [Fact]
    public void A_guest_and_a_directory_without_a_row_are_quarantined_not_destroyed()
    {
        Decide(null, PowerState.Running, directory: true).ShouldBe([new QuarantineOrphan(Id, HasGuest: true, HasDirectory: true)]);
        Decide(null, PowerState.Shutdown, directory: false).ShouldBe([new QuarantineOrphan(Id, HasGuest: true, HasDirectory: false)]);
        Decide(null, null, directory: true).ShouldBe([new QuarantineOrphan(Id, HasGuest: false, HasDirectory: true)]);
        new QuarantineOrphan(Id, true, true).Kind.ShouldBe(OrphanKind.Both);
        new QuarantineOrphan(Id, true, false).Kind.ShouldBe(OrphanKind.Guest);
        new QuarantineOrphan(Id, false, true).Kind.ShouldBe(OrphanKind.Directory);
    }

    [Fact]
    public void A_deleted_row_proves_its_guest_and_files_may_go() =>
        Decide(AnInstance(VmState.Deleted, powerState: PowerState.NoState), PowerState.Shutdown, directory: true)
            .ShouldBe([new DestroyGuest(Id), new RemoveFiles(Id)]);

    public static TheoryData<string, string, string> ForeignOwners => new()
    {
        { "another installation", "installation-2", FakeHost.HostName },
        { "another host", FakeDisks.InstallationId, "compute2" },
    };

    [Theory]
    [MemberData(nameof(ForeignOwners))]
    public void A_directory_another_installation_or_host_made_is_never_touched(string who, string installation, string host)
    {
        var owner = new DirectoryOwner(installation, host, Id, Made);
        foreach (var row in new Instance?[] { null, AnInstance(VmState.Deleted), AnInstance(VmState.Active, TaskState.Deleting), AnInstance(VmState.Building, TaskState.Spawning) })
        {
            var actions = Reconciler.Decide(Facts(row, guest: null, owner));
            actions.ShouldNotContain(action => action is RemoveFiles || action is QuarantineOrphan, $"{who}, row {row?.VmState.ToNova() ?? "none"}");
        }

        Reconciler.NotOwned(Facts(null, null, owner)).ShouldHaveSingleItem().Owner.ShouldBe(owner);
    }

    [Fact]
    public void A_directory_without_an_owner_file_or_with_another_instances_owner_file_is_never_touched()
    {
        var copied = Mine with { InstanceId = Guid.NewGuid() };
        foreach (var owner in new[] { null, copied })
        {
            Reconciler.Decide(Facts(null, null, owner)).ShouldBeEmpty();
            Reconciler.Decide(Facts(AnInstance(VmState.Deleted), null, owner)).ShouldBeEmpty();
            Reconciler.Decide(Facts(AnInstance(VmState.Active, TaskState.Deleting), null, owner)).ShouldBe([new FinishDelete(Id)]);
            Reconciler.NotOwned(Facts(null, null, owner)).ShouldHaveSingleItem().InstanceId.ShouldBe(Id);
        }
    }

    [Fact]
    public void Only_owned_directories_are_listed_as_owned() =>
        Reconciler.NotOwned(Facts(null, null, Mine)).ShouldBeEmpty();

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
        var c = Guid.Parse("00000000-0000-0000-0000-00000000000c");
        var actions = Reconciler.Decide(new ReconcileFacts(
            FakeHost.HostName,
            FakeDisks.InstallationId,
            [AnInstance(VmState.Deleted, id: b), AnInstance(VmState.Active, TaskState.Deleting, id: a)],
            [new GuestInfo(c, PowerState.Running), new GuestInfo(b, PowerState.Running), new GuestInfo(a, PowerState.Running)],
            [.. new[] { b, a }.Select(id => new InstanceDirectoryEntry(id, $"/instances/{id}", Mine with { InstanceId = id }))]));
        actions.ShouldBe([
            new DestroyGuest(a), new RemoveFiles(a), new FinishDelete(a), new DestroyGuest(b), new RemoveFiles(b), new QuarantineOrphan(c, HasGuest: true, HasDirectory: false),
        ]);
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
    /// state) and directory: after the repairs the invariants hold (what has no row is
    /// untouched and quarantined), and deciding again finds nothing more to do.
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
                Decide(model.Row, model.Guest, model.Directory).Where(action => action is not QuarantineOrphan).ShouldBeEmpty("a second pass must find nothing but orphans");
                model.ShouldKeepWhatHasNoRow(guest, directory);
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
                    case QuarantineOrphan:
                        break;
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

        public void ShouldKeepWhatHasNoRow(PowerState? guestBefore, bool directoryBefore)
        {
            if (Row is null)
            {
                Guest.ShouldBe(guestBefore, "a guest without a row is quarantined, never destroyed");
                Directory.ShouldBe(directoryBefore, "a directory without a row is quarantined, never removed");
            }
        }

        public void ShouldBeConsistent()
        {
            if (Row is null)
            {
                return;
            }

            if (Row.IsDeleted)
            {
                Guest.ShouldBeNull("a guest whose row says deleted");
                Directory.ShouldBeFalse("a directory whose row says deleted");
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

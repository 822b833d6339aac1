using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;

namespace Vireo.Core.Tests;

/// <summary>
/// The process dies at each step of create and delete (the fakes freeze, so no undo
/// reaches them); a restarted service reconciles and nothing is left half-done.
/// </summary>
public sealed class CrashRecoveryTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> CreateSteps => [.. FaultSteps.Create];

    public static TheoryData<string> DeleteSteps => [.. FaultSteps.Delete];

    [Theory]
    [MemberData(nameof(CreateSteps))]
    public async Task Dying_at_a_create_step_then_restarting_leaves_the_server_active_or_in_error_and_nothing_orphaned(string step)
    {
        var dying = _host.Service(new TestFaultPoints(step, FaultMode.Die, _host.Process));
        await Should.ThrowAsync<Exception>(() => dying.CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));
        await dying.WhenIdleAsync();
        var atDeath = _host.Store.Single("web1");
        atDeath.VmState.ShouldBe(VmState.Building, "the crash left the row building");

        var report = await Restart();

        report.Succeeded.ShouldBeTrue();
        _host.ShouldBeConsistent();
        var row = _host.Row(atDeath.Id);
        if (step == FaultSteps.CreateGuestStarted)
        {
            row.VmState.ShouldBe(VmState.Active);
            row.PowerState.ShouldBe(PowerState.Running);
            _host.Disks.Directories.ShouldContain(row.Id);
            (await _host.Store.ListActionsAsync(row.Id, Ct)).Single().Result.ShouldBe(ActionResult.Success);
        }
        else
        {
            row.VmState.ShouldBe(VmState.Error);
            row.FaultReason.ShouldBe(Reconciler.BuildInterrupted);
            _host.ShouldHaveNothingOnHostFor(row.Id);
            (await _host.Store.ListActionsAsync(row.Id, Ct)).Single().Result.ShouldBe(ActionResult.Error);
        }
    }

    [Theory]
    [MemberData(nameof(DeleteSteps))]
    public async Task Dying_at_a_delete_step_then_restarting_finishes_the_delete(string step)
    {
        var created = await _host.CreateActiveAsync();
        var dying = _host.Service(new TestFaultPoints(step, FaultMode.Die, _host.Process));
        await Should.ThrowAsync<Exception>(() => dying.DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));
        await dying.WhenIdleAsync();

        var report = await Restart();

        report.Succeeded.ShouldBeTrue();
        _host.ShouldBeConsistent();
        _host.Row(created.Id).VmState.ShouldBe(VmState.Deleted);
        _host.ShouldHaveNothingOnHostFor(created.Id);
    }

    [Fact]
    public async Task Dying_during_a_stop_then_restarting_settles_the_server_from_its_guest()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StopGuestAsync), () =>
        {
            _host.Process.Freeze();
            return new InvalidOperationException("died");
        });
        await Should.ThrowAsync<Exception>(() => _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));
        _host.Hypervisor.Failures.Clear(nameof(IHypervisor.StopGuestAsync));
        _host.Row(created.Id).TaskState.ShouldBe(TaskState.PoweringOff);

        await Restart();

        var row = _host.Row(created.Id);
        row.VmState.ShouldBe(VmState.Active, "the guest never stopped");
        row.TaskState.ShouldBeNull();
        _host.ShouldBeConsistent();
    }

    [Fact]
    public async Task Restarting_quarantines_strays_and_marks_servers_whose_guest_vanished()
    {
        var kept = await _host.CreateActiveAsync("kept");
        var vanished = await _host.CreateActiveAsync("vanished");
        var strayGuest = Guid.NewGuid();
        var strayDirectory = Guid.NewGuid();
        _host.Hypervisor.Put(strayGuest, PowerState.Running);
        _host.Disks.Put(strayDirectory);
        _host.Hypervisor.ChangeBehindOurBack(vanished.Id, power: null);

        var report = await Restart();

        report.Done.ShouldBe([new MarkError(vanished.Id, Reconciler.GuestDisappeared(VmState.Active))]);
        report.Quarantined.Select(orphan => (orphan.InstanceId, orphan.Kind)).ShouldBe(
            [(strayGuest, OrphanKind.Guest), (strayDirectory, OrphanKind.Directory)], ignoreOrder: true);
        _host.Hypervisor.Guests.Keys.ShouldBe([kept.Id, strayGuest], ignoreOrder: true);
        _host.Hypervisor.Guests[strayGuest].PowerState.ShouldBe(PowerState.Running, "a quarantined guest is not even stopped");
        _host.Disks.Directories.ShouldContain(strayDirectory);
        _host.Row(vanished.Id).FaultReason.ShouldBe("its guest disappeared while it was active; delete it and create it again");
    }

    [Fact]
    public async Task Restarting_on_an_empty_database_destroys_nothing()
    {
        var first = await _host.CreateActiveAsync("first");
        var second = await _host.CreateActiveAsync("second");
        foreach (var row in _host.Store.Instances.ToList())
        {
            _host.Store.Forget(row.Id);
        }

        var report = await Restart();

        report.Done.ShouldBeEmpty();
        report.Quarantined.Select(orphan => orphan.InstanceId).ShouldBe(new[] { first.Id, second.Id }.Order());
        report.Quarantined.ShouldAllBe(orphan => orphan.Kind == OrphanKind.Both && orphan.GuestState == PowerState.Running && orphan.DirectoryPath != null);
        _host.Hypervisor.Guests.Keys.ShouldBe([first.Id, second.Id], ignoreOrder: true);
        _host.Disks.Directories.ShouldBe([first.Id, second.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task A_guest_and_directory_whose_row_is_deleted_are_still_reaped()
    {
        var deleted = await _host.CreateActiveAsync("deleted");
        _host.Store.Put(_host.Row(deleted.Id) with { VmState = VmState.Deleted, TaskState = null });

        var report = await Restart();

        report.Done.ShouldBe([new DestroyGuest(deleted.Id), new RemoveFiles(deleted.Id)]);
        report.Quarantined.ShouldBeEmpty();
        _host.ShouldHaveNothingOnHostFor(deleted.Id);
    }

    [Fact]
    public async Task A_directory_of_another_installation_or_without_an_owner_file_is_reported_not_touched()
    {
        var foreign = Guid.NewGuid();
        var unowned = Guid.NewGuid();
        _host.Disks.Put(foreign, new DirectoryOwner("installation-2", FakeHost.HostName, foreign, DateTimeOffset.UnixEpoch));
        _host.Disks.Put(unowned, owner: null);

        var report = await Restart();

        report.Done.ShouldBeEmpty();
        report.Quarantined.ShouldBeEmpty();
        report.NotOwned.Select(directory => directory.InstanceId).ShouldBe([foreign, unowned], ignoreOrder: true);
        _host.Disks.Directories.ShouldBe([foreign, unowned], ignoreOrder: true);
    }

    [Fact]
    public async Task A_second_reconciliation_finds_nothing_to_do()
    {
        await _host.CreateActiveAsync();
        var deleting = await _host.CreateActiveAsync("deleting");
        _host.Store.Put(_host.Row(deleting.Id) with { TaskState = TaskState.Deleting });

        (await Restart()).Done.ShouldNotBeEmpty();
        (await Restart()).Done.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_repair_that_fails_skips_the_rest_of_that_server_only()
    {
        var failing = await _host.CreateActiveAsync("failing");
        var other = await _host.CreateActiveAsync("other");
        _host.Store.Put(_host.Row(failing.Id) with { TaskState = TaskState.Deleting });
        _host.Store.Put(_host.Row(other.Id) with { VmState = VmState.Deleted, TaskState = null });
        _host.Hypervisor.ChangeBehindOurBack(other.Id, power: null);
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.DestroyGuestAsync));

        var report = await Restart();

        report.Failed.ShouldHaveSingleItem().Action.ShouldBe(new DestroyGuest(failing.Id));
        report.Skipped.ShouldBe([new RemoveFiles(failing.Id), new FinishDelete(failing.Id)]);
        report.Done.ShouldBe([new RemoveFiles(other.Id)]);
    }

    private Task<ReconcileReport> Restart()
    {
        _host.Process.Thaw();
        return _host.Service().ReconcileAsync(Callers.Admin, Ct);
    }
}

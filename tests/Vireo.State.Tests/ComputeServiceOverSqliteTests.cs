using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;
using Vireo.Testing.Fakes;

namespace Vireo.State.Tests;

/// <summary>Core's service over the real SQLite store: the store keeps the promises the service relies on.</summary>
public sealed class ComputeServiceOverSqliteTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly SqliteStore _store;
    private readonly FakeHypervisor _hypervisor = new();
    private readonly FakeDisks _disks = new();

    public ComputeServiceOverSqliteTests()
    {
        _store = _database.Open();
        _store.Images.AddAsync(AnImage() with { MinDiskGiB = 0, MinRamMiB = 0 }, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose() => _database.Dispose();

    private const string InstallationId = "installation-1";

    private static readonly ComputeServiceOptions Options = new("compute1") { InstallationId = InstallationId };

    private ComputeService Service(IFaultPoints? faults = null) =>
        new(_store.Instances, _store.Flavors, _store.Images, _hypervisor, _disks, faults ?? FaultPoints.None, TimeProvider.System, Options);

    [Fact]
    public async Task A_server_lives_through_create_stop_start_reboot_and_delete()
    {
        var service = Service();

        var created = await service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "m1.tiny"), Callers.Admin, Ct);
        created.VmState.ShouldBe(VmState.Active);
        (await service.StopServerAsync(created.Id.ToString(), Callers.Admin, Ct)).Status.ShouldBe("SHUTOFF");
        (await service.StartServerAsync(created.Id.ToString(), Callers.Admin, Ct)).Status.ShouldBe("ACTIVE");
        (await service.RebootServerAsync(created.Id.ToString(), RebootType.Hard, Callers.Admin, Ct)).Status.ShouldBe("ACTIVE");
        (await service.DeleteServerAsync(created.Id.ToString(), Callers.Admin, Ct)).Status.ShouldBe("DELETED");

        (await service.ListServersAsync(new ServerListQuery(), Callers.Admin, Ct)).ShouldBeEmpty();
        (await service.ListServerActionsAsync(created.Id.ToString(), Callers.Admin, Ct)).Select(action => (action.Action, action.Result)).ShouldBe(
        [
            ("create", ActionResult.Success), ("stop", ActionResult.Success), ("start", ActionResult.Success),
            ("reboot", ActionResult.Success), ("delete", ActionResult.Success),
        ]);
        _hypervisor.Guests.ShouldBeEmpty();
        _disks.Directories.ShouldBeEmpty();
    }

    [Fact]
    public async Task Names_are_not_unique_and_each_project_lists_and_reaches_only_its_own_servers()
    {
        var service = Service();
        var alices = await service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Callers.Alice, Ct);
        var bobs = await service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Callers.Bob, Ct);

        (await service.ListServersAsync(new ServerListQuery(), Callers.Alice, Ct)).Select(i => i.Id).ShouldBe([alices.Id]);
        (await service.ListServersAsync(new ServerListQuery { AllProjects = true }, Callers.Admin, Ct)).Select(i => i.Id).ShouldBe([bobs.Id, alices.Id]);
        (await Should.ThrowAsync<VireoException>(() => service.DeleteServerAsync(bobs.Id.ToString(), Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await service.DeleteServerAsync(alices.Id.ToString(), Callers.Alice, Ct)).VmState.ShouldBe(VmState.Deleted);
        (await service.ListServersAsync(new ServerListQuery { AllProjects = true }, Callers.Admin, Ct)).Select(i => i.Id).ShouldBe([bobs.Id]);
    }

    [Fact]
    public async Task A_build_that_fails_leaves_an_error_row_with_its_fault_and_nothing_on_the_host()
    {
        _hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));

        await Should.ThrowAsync<VireoException>(() => Service().CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Callers.Admin, Ct));

        var row = (await _store.Instances.QueryAsync(new InstanceQuery(), Ct)).ShouldHaveSingleItem();
        row.Status.ShouldBe("ERROR");
        (await _store.Instances.ListFaultsAsync(row.Id, Ct)).ShouldHaveSingleItem().Message.ShouldBe(row.FaultReason);
        _hypervisor.Guests.ShouldBeEmpty();
        _disks.Directories.ShouldBeEmpty();
    }

    [Fact]
    public async Task After_a_crash_mid_build_a_restart_on_the_same_file_puts_the_server_in_error()
    {
        // The first process hangs for good at the step: nothing after it runs, as if it died.
        using var dead = new ManualResetEventSlim();
        var dying = Service(FaultPoints.At(FaultSteps.CreateDiskMade, () =>
        {
            dead.Wait(CancellationToken.None);
            throw new OperationCanceledException("the process died");
        }));
        var build = await dying.BeginCreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Callers.Admin, Ct);
        while (_disks.Directories.Count == 0)
        {
            await Task.Delay(10, Ct);
        }

        using var restarted = SqliteStore.Open(_database.FilePath);
        var service = new ComputeService(restarted.Instances, restarted.Flavors, restarted.Images, _hypervisor, _disks, FaultPoints.None, TimeProvider.System, Options);
        var report = await service.ReconcileAsync(Callers.Admin, Ct);

        report.Succeeded.ShouldBeTrue();
        var row = await service.ShowServerAsync(build.Accepted.Id.ToString(), Callers.Admin, Ct);
        row.Status.ShouldBe("ERROR");
        row.FaultReason.ShouldBe(Core.Reconciliation.Reconciler.BuildInterrupted);
        _disks.Directories.ShouldBeEmpty();
        _hypervisor.Guests.ShouldBeEmpty();

        dead.Set();
        await Should.ThrowAsync<Exception>(() => build.Completion);
    }

    [Fact]
    public async Task Reconciliation_reaps_what_a_soft_deleted_row_left_and_quarantines_what_has_no_row()
    {
        var service = Service();
        var deleted = await service.CreateServerAsync(new CreateServerRequest("gone", "cirros", "1"), Callers.Admin, Ct);
        var row = (await _store.Instances.GetAsync(deleted.Id, Ct)).ShouldNotBeNull();
        await _store.Instances.UpdateAsync(row with { VmState = VmState.Deleted, TaskState = null }, Ct);
        var stray = Guid.NewGuid();
        _hypervisor.Put(stray, PowerState.Running);
        _disks.Put(stray);

        var report = await Service().ReconcileAsync(Callers.Admin, Ct);

        report.Done.Select(action => action.InstanceId).Distinct().ShouldBe([deleted.Id], "the deleted row is read although it is not listed");
        _hypervisor.Guests.Keys.ShouldBe([stray]);
        _disks.Directories.ShouldBe([stray]);
        report.Quarantined.ShouldHaveSingleItem().InstanceId.ShouldBe(stray);
    }
}

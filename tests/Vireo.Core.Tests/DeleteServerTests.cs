using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

public sealed class DeleteServerTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_removes_guest_and_files_and_soft_deletes_the_row()
    {
        var created = await _host.CreateActiveAsync();
        var faults = new RecordingFaultPoints();

        var deleted = await _host.Service(faults).DeleteServerAsync(_host.IdOf("web1"), Callers.Request("req-del"), Ct);

        deleted.VmState.ShouldBe(VmState.Deleted);
        deleted.TaskState.ShouldBeNull();
        deleted.PowerState.ShouldBe(PowerState.NoState);
        deleted.TerminatedAt.ShouldNotBeNull();
        _host.ShouldHaveNothingOnHostFor(created.Id);
        faults.Steps.ShouldBe(FaultSteps.Delete);
        var actions = await _host.Store.ListActionsAsync(created.Id, Ct);
        actions.Select(action => (action.Action, action.Result)).ShouldBe([("create", ActionResult.Success), ("delete", ActionResult.Success)]);
    }

    [Fact]
    public async Task A_deleted_server_is_not_found_nor_listed_but_its_history_stays_readable_by_id()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();
        await service.DeleteServerAsync(created.Id.ToString(), Callers.Admin, Ct);

        (await Should.ThrowAsync<VireoException>(() => service.ShowServerAsync("web1", Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Should.ThrowAsync<VireoException>(() => service.ShowServerAsync(created.Id.ToString(), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await service.ListServersAsync(new ServerListQuery(), Callers.Admin, Ct)).ShouldBeEmpty();
        (await service.ListServerActionsAsync(created.Id.ToString(), Callers.Admin, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Deleting_an_unknown_server_is_not_found_with_the_reference_in_the_sentence()
    {
        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().DeleteServerAsync("nope", Callers.Admin, Ct));
        refusal.Kind.ShouldBe(ErrorKind.NotFound);
        refusal.Message.ShouldBe("server 'nope' does not exist; servers are addressed by id here: list the servers to see their ids");
    }

    [Fact]
    public async Task A_deleted_servers_name_can_be_used_again()
    {
        await _host.CreateActiveAsync();
        await _host.Service().DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        (await _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct)).VmState.ShouldBe(VmState.Active);
    }

    [Fact]
    public async Task A_server_in_error_can_be_deleted()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));
        await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        (await _host.Service().DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct)).VmState.ShouldBe(VmState.Deleted);
    }

    [Fact]
    public async Task A_stopped_server_can_be_deleted()
    {
        var created = await _host.CreateActiveAsync();
        await _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        await _host.Service().DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        _host.ShouldHaveNothingOnHostFor(created.Id);
    }

    public static TheoryData<string> DeleteStepsBeforeTheRow =>
        [.. FaultSteps.Delete.Where(step => step != FaultSteps.DeleteRowDeleted)];

    [Theory]
    [MemberData(nameof(DeleteStepsBeforeTheRow))]
    public async Task A_failure_at_a_delete_step_leaves_the_server_in_error_and_deleting_again_finishes(string step)
    {
        var created = await _host.CreateActiveAsync();
        var faults = new TestFaultPoints(step, FaultMode.Fail, _host.Process);

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service(faults).DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));

        failure.Message.ShouldStartWith("server 'web1' could not be deleted: the delete failed while");
        failure.Message.ShouldEndWith("delete it again to retry");
        var row = _host.Row(created.Id);
        row.VmState.ShouldBe(VmState.Error);
        row.TaskState.ShouldBeNull();
        row.FaultReason.ShouldNotBeNull().ShouldContain(step);

        await _host.Service().DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        _host.Row(created.Id).VmState.ShouldBe(VmState.Deleted);
        _host.ShouldHaveNothingOnHostFor(created.Id);
    }

    [Fact]
    public async Task A_hypervisor_outage_during_delete_is_unavailable_and_leaves_the_row()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.DestroyGuestAsync), ErrorKind.Unavailable);

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service().DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));

        failure.Kind.ShouldBe(ErrorKind.Unavailable);
        _host.Row(created.Id).VmState.ShouldBe(VmState.Error);
        _host.Disks.Directories.ShouldContain(created.Id);
    }

    [Fact]
    public async Task Deleting_during_the_build_undoes_the_build_then_deletes()
    {
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StartGuestAsync));
        var service = _host.Service();
        var build = await service.BeginCreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        await reached;

        var delete = await service.BeginDeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        delete.Accepted.TaskState.ShouldBe(TaskState.Deleting);

        var buildFailure = await Should.ThrowAsync<VireoException>(() => build.Completion);
        buildFailure.Kind.ShouldBe(ErrorKind.Conflict);
        buildFailure.Message.ShouldBe("server 'web1' was deleted while it was building");
        (await delete.Completion).VmState.ShouldBe(VmState.Deleted);
        _host.ShouldHaveNothingOnHostFor(build.Accepted.Id);
        _host.Hypervisor.Release(nameof(IHypervisor.StartGuestAsync));
    }

    [Fact]
    public async Task Two_deletes_at_once_both_succeed_and_delete_once()
    {
        await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.DestroyGuestAsync));
        var service = _host.Service();

        var first = await service.BeginDeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        await reached;
        var second = await service.BeginDeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        _host.Hypervisor.Release(nameof(IHypervisor.DestroyGuestAsync));

        (await first.Completion).VmState.ShouldBe(VmState.Deleted);
        (await second.Completion).VmState.ShouldBe(VmState.Deleted);
        _host.Hypervisor.Calls.Count(call => call.StartsWith("Undefine", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Deleting_during_a_stop_cancels_the_stop_and_deletes()
    {
        var created = await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StopGuestAsync));
        var service = _host.Service();
        var stop = await service.BeginStopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        await reached;

        var deleted = await service.DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        deleted.VmState.ShouldBe(VmState.Deleted);
        (await Should.ThrowAsync<VireoException>(() => stop.Completion)).Message.ShouldBe("'stop' of server 'web1' was overtaken by deleting");
        _host.ShouldHaveNothingOnHostFor(created.Id);
        _host.Hypervisor.Release(nameof(IHypervisor.StopGuestAsync));
    }
}

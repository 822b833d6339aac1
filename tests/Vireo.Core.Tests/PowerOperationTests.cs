using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

public sealed class PowerOperationTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopping_an_active_server_powers_off_its_guest_and_ends_stopped()
    {
        var created = await _host.CreateActiveAsync();

        var stopped = await _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        stopped.VmState.ShouldBe(VmState.Stopped);
        stopped.TaskState.ShouldBeNull();
        stopped.PowerState.ShouldBe(PowerState.Shutdown);
        stopped.Status.ShouldBe("SHUTOFF");
        _host.Hypervisor.PowerOf(created.Id).ShouldBe(PowerState.Shutdown);
    }

    [Fact]
    public async Task Begin_stop_answers_with_the_task_powering_off()
    {
        await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StopGuestAsync));

        var operation = await _host.Service().BeginStopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        operation.Accepted.TaskState.ShouldBe(TaskState.PoweringOff);
        await reached;
        _host.Hypervisor.Release(nameof(IHypervisor.StopGuestAsync));

        (await operation.Completion).VmState.ShouldBe(VmState.Stopped);
    }

    [Fact]
    public async Task Starting_a_stopped_server_ends_active_and_running()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();
        await service.StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        var started = await service.StartServerAsync(created.Id.ToString(), Callers.Admin, Ct);

        started.VmState.ShouldBe(VmState.Active);
        started.PowerState.ShouldBe(PowerState.Running);
        _host.Hypervisor.PowerOf(created.Id).ShouldBe(PowerState.Running);
        (await service.ListServerActionsAsync(_host.IdOf("web1"), Callers.Admin, Ct)).Select(action => action.Action).ShouldBe(["create", "stop", "start"]);
    }

    [Fact]
    public async Task Stopping_a_stopped_server_is_a_conflict_that_says_so()
    {
        await _host.CreateActiveAsync();
        await _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldBe("server 'web1' is stopped; 'stop' needs it active or error (it is already stopped)");
    }

    [Fact]
    public async Task Starting_an_active_server_is_a_conflict()
    {
        await _host.CreateActiveAsync();
        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().StartServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));
        refusal.Message.ShouldBe("server 'web1' is active; 'start' needs it stopped (it is already running)");
    }

    [Fact]
    public async Task A_soft_reboot_keeps_an_active_server_active()
    {
        await _host.CreateActiveAsync();
        var rebooted = await _host.Service().RebootServerAsync(_host.IdOf("web1"), RebootType.Soft, Callers.Admin, Ct);
        rebooted.VmState.ShouldBe(VmState.Active);
        rebooted.TaskState.ShouldBeNull();
    }

    [Fact]
    public async Task Begin_reboot_shows_reboot_and_hard_reboot_statuses()
    {
        await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.RebootGuestAsync));
        var service = _host.Service();

        var soft = await service.BeginRebootServerAsync(_host.IdOf("web1"), RebootType.Soft, Callers.Admin, Ct);
        soft.Accepted.Status.ShouldBe("REBOOT");
        await reached;
        _host.Hypervisor.Release(nameof(IHypervisor.RebootGuestAsync));
        await soft.Completion;

        var hard = await service.BeginRebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct);
        hard.Accepted.Status.ShouldBe("HARD_REBOOT");
        await hard.Completion;
    }

    [Fact]
    public async Task A_soft_reboot_of_a_stopped_server_is_refused_but_a_hard_one_starts_it()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();
        await service.StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        (await Should.ThrowAsync<VireoException>(() => service.RebootServerAsync(_host.IdOf("web1"), RebootType.Soft, Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.Conflict);
        (await service.RebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct)).VmState.ShouldBe(VmState.Active);
        _host.Hypervisor.PowerOf(created.Id).ShouldBe(PowerState.Running);
    }

    [Fact]
    public async Task An_operation_on_a_building_server_is_refused_at_once()
    {
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StartGuestAsync));
        var build = await _host.Service().BeginCreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        await reached;

        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldContain("is building");
        _host.Hypervisor.Release(nameof(IHypervisor.StartGuestAsync));
        await build.Completion;
    }

    [Fact]
    public async Task Two_stops_at_once_are_one_stop_and_one_conflict()
    {
        await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StopGuestAsync));
        var service = _host.Service();

        var first = await service.BeginStopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        await reached;
        var refusal = await Should.ThrowAsync<VireoException>(() => service.BeginStopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));
        _host.Hypervisor.Release(nameof(IHypervisor.StopGuestAsync));

        refusal.Message.ShouldBe("server 'web1' is busy (powering-off); 'stop' needs it idle (try again when that finishes)");
        (await first.Completion).VmState.ShouldBe(VmState.Stopped);
    }

    [Fact]
    public async Task A_failed_start_clears_the_task_keeps_the_server_stopped_and_records_the_fault()
    {
        var created = await _host.CreateActiveAsync();
        await _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service().StartServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));

        failure.Message.ShouldBe("'start' of server 'web1' failed: injected failure in StartGuestAsync");
        var row = _host.Row(created.Id);
        row.VmState.ShouldBe(VmState.Stopped);
        row.TaskState.ShouldBeNull();
        (await _host.Store.ListFaultsAsync(created.Id, Ct)).ShouldHaveSingleItem().Message.ShouldContain("'start' failed");
        (await _host.Store.ListActionsAsync(created.Id, Ct)).Last().Result.ShouldBe(ActionResult.Error);
    }

    [Fact]
    public async Task A_failed_reboot_puts_the_server_in_error_and_a_hard_reboot_recovers_it()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.RebootGuestAsync));

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service().RebootServerAsync(_host.IdOf("web1"), RebootType.Soft, Callers.Admin, Ct));
        failure.Message.ShouldEndWith("; it is now in ERROR");
        _host.Row(created.Id).VmState.ShouldBe(VmState.Error);
        _host.Row(created.Id).FaultReason.ShouldBe("'reboot' failed: injected failure in RebootGuestAsync");

        _host.Hypervisor.Failures.Clear(nameof(IHypervisor.RebootGuestAsync));
        var recovered = await _host.Service().RebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct);
        recovered.VmState.ShouldBe(VmState.Active);
        recovered.FaultReason.ShouldBeNull();
    }

    [Fact]
    public async Task A_server_whose_build_failed_has_no_guest_to_power_so_it_must_be_recreated()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));
        await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));
        _host.Hypervisor.Failures.Clear(nameof(IHypervisor.StartGuestAsync));

        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().RebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldContain("has no guest on this host");
        _host.Store.Single("web1").TaskState.ShouldBeNull("nothing was accepted");
    }

    [Fact]
    public async Task A_hypervisor_outage_is_unavailable_before_anything_is_accepted()
    {
        await _host.CreateActiveAsync();
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.GetGuestAsync), ErrorKind.Unavailable);

        (await Should.ThrowAsync<VireoException>(() => _host.Service().StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.Unavailable);
        _host.Store.Single("web1").TaskState.ShouldBeNull();
    }
}

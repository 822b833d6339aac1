using Vireo.Core.Compute;
using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;

namespace Vireo.Core.Tests;

/// <summary>Quarantined orphans through the compute service: listed, purged one at a time, never while a row claims them.</summary>
public sealed class OrphanTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orphans_are_the_owned_guests_and_directories_without_a_row()
    {
        var kept = await _host.CreateActiveAsync("kept");
        var lost = await _host.CreateActiveAsync("lost");
        _host.Store.Forget(lost.Id);
        var guestOnly = Guid.NewGuid();
        _host.Hypervisor.Put(guestOnly, PowerState.Shutdown);
        var foreign = Guid.NewGuid();
        _host.Disks.Put(foreign, new DirectoryOwner("installation-2", FakeHost.HostName, foreign, DateTimeOffset.UnixEpoch));

        var orphans = await _host.Service().ListOrphansAsync(Callers.Admin, Ct);

        orphans.ShouldBe(new[]
        {
            new Orphan(lost.Id, OrphanKind.Both, PowerState.Running, $"/var/lib/vireo/instances/{lost.Id}", 4096),
            new Orphan(guestOnly, OrphanKind.Guest, PowerState.Shutdown, null, null),
        }.OrderBy(orphan => orphan.InstanceId));
        orphans.ShouldNotContain(orphan => orphan.InstanceId == kept.Id || orphan.InstanceId == foreign);
    }

    [Fact]
    public async Task Purging_removes_exactly_the_named_orphan()
    {
        var first = await _host.CreateActiveAsync("first");
        var second = await _host.CreateActiveAsync("second");
        _host.Store.Forget(first.Id);
        _host.Store.Forget(second.Id);
        var service = _host.Service();

        var purged = await service.PurgeOrphanAsync(first.Id.ToString(), Callers.Admin, Ct);

        purged.InstanceId.ShouldBe(first.Id);
        purged.Kind.ShouldBe(OrphanKind.Both);
        _host.ShouldHaveNothingOnHostFor(first.Id);
        _host.Hypervisor.Guests.Keys.ShouldBe([second.Id]);
        _host.Disks.Directories.ShouldBe([second.Id]);
        (await service.ListOrphansAsync(Callers.Admin, Ct)).ShouldHaveSingleItem().InstanceId.ShouldBe(second.Id);
    }

    [Fact]
    public async Task Purging_an_id_with_a_row_is_a_conflict_and_touches_nothing()
    {
        var server = await _host.CreateActiveAsync();

        var refused = await Should.ThrowAsync<VireoException>(() => _host.Service().PurgeOrphanAsync(server.Id.ToString(), Callers.Admin, Ct));

        refused.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Message.ShouldContain("delete the server instead");
        _host.Hypervisor.Guests.Keys.ShouldContain(server.Id);
        _host.Disks.Directories.ShouldContain(server.Id);
    }

    [Fact]
    public async Task Purging_what_is_not_an_orphan_now_is_not_found()
    {
        var foreign = Guid.NewGuid();
        _host.Disks.Put(foreign, owner: null);
        var service = _host.Service();

        (await Should.ThrowAsync<VireoException>(() => service.PurgeOrphanAsync(Guid.NewGuid().ToString(), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Should.ThrowAsync<VireoException>(() => service.PurgeOrphanAsync(foreign.ToString(), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Should.ThrowAsync<VireoException>(() => service.PurgeOrphanAsync("web1", Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.InvalidInput);
        _host.Disks.Directories.ShouldContain(foreign, "a directory without an owner file is never purged");
    }

    [Fact]
    public async Task Reconciliation_waits_for_an_operation_on_the_instance_and_decides_again_afterwards()
    {
        var service = _host.Service();
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StartGuestAsync));
        var build = await service.BeginCreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        await reached;

        var reconcile = service.ReconcileAsync(Callers.Admin, Ct);
        (await Task.WhenAny(reconcile, Task.Delay(TimeSpan.FromMilliseconds(300), Ct))).ShouldNotBe(reconcile, "the build holds the instance's gate");
        _host.Hypervisor.Release(nameof(IHypervisor.StartGuestAsync));

        (await build.Completion).VmState.ShouldBe(VmState.Active);
        var report = await reconcile;
        report.Done.ShouldBeEmpty("the facts read while the build ran are stale once it has finished");
        _host.Row(build.Accepted.Id).VmState.ShouldBe(VmState.Active);
        _host.Hypervisor.PowerOf(build.Accepted.Id).ShouldBe(PowerState.Running);
        _host.Disks.Directories.ShouldContain(build.Accepted.Id);
    }

    [Fact]
    public void Readiness_starts_closed_and_opens_once()
    {
        var readiness = new ServiceReadiness();
        readiness.IsReady.ShouldBeFalse();
        readiness.WhenReady.IsCompleted.ShouldBeFalse();
        readiness.MarkReady();
        readiness.MarkReady();
        readiness.IsReady.ShouldBeTrue();
        ServiceReadiness.Ready().IsReady.ShouldBeTrue();
    }

    [Fact]
    public void Metric_names_are_the_actions_in_snake_case()
    {
        ReconcileExecutor.MetricName(new DestroyGuest(Guid.Empty)).ShouldBe("destroy_guest");
        ReconcileExecutor.MetricName(new QuarantineOrphan(Guid.Empty, true, false)).ShouldBe("quarantine_orphan");
    }
}

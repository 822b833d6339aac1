using Vireo.Core.Compute;
using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;
using static Vireo.Core.Tests.Builders;

namespace Vireo.Core.Tests;

/// <summary>
/// Disks outside the instance directory (RBD images, logical volumes named &lt;uuid&gt;_*): the
/// decision table ties them to a row or quarantines them, a delete whose disk removal fails marks
/// the row deleted and the pending-delete pass removes them, and purge takes only an orphan's.
/// </summary>
public sealed class PendingDeleteTests
{
    private static readonly Guid Id = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset Made = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly OutsideDisk Clone = new(Id, OutsideDiskKind.RbdImage, $"vms/{Id:D}_disk", 1 << 30);

    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReconcileFacts Facts(Instance? row, PowerState? guest, bool directory, params OutsideDisk[] disks) => new(
        FakeHost.HostName,
        FakeDisks.InstallationId,
        row is null ? [] : [row with { Id = Id }],
        guest is { } power ? [new GuestInfo(Id, power)] : [],
        directory ? [new InstanceDirectoryEntry(Id, $"/instances/{Id}", new DirectoryOwner(FakeDisks.InstallationId, FakeHost.HostName, Id, Made))] : [])
    {
        OutsideDisks = disks,
    };

    [Theory]
    [InlineData("outside-only", false, false, "disks")]
    [InlineData("with-directory", false, true, "directory")]
    [InlineData("with-guest-and-directory", true, true, "both")]
    public void Outside_disks_without_a_row_are_quarantined_with_the_rest(string label, bool guest, bool directory, string kind)
    {
        var actions = Reconciler.Decide(Facts(null, guest ? PowerState.Running : null, directory, Clone));

        var quarantine = actions.ShouldHaveSingleItem(label).ShouldBeOfType<QuarantineOrphan>();
        quarantine.ShouldBe(new QuarantineOrphan(Id, guest, directory, HasDisks: true));
        quarantine.Kind.ToString().ToLowerInvariant().ShouldBe(kind);
    }

    [Fact]
    public void A_deleted_row_lets_its_outside_disks_go_before_its_directory()
    {
        var deleted = AnInstance(VmState.Deleted, powerState: PowerState.NoState);

        Reconciler.Decide(Facts(deleted, PowerState.Shutdown, directory: true, Clone)).ShouldBe([new DestroyGuest(Id), new RemoveDisks(Id), new RemoveFiles(Id)]);
        Reconciler.Decide(Facts(deleted, null, directory: false, Clone)).ShouldBe([new RemoveDisks(Id)]);
        Reconciler.DecidePendingDeletes(Facts(deleted, null, directory: false, Clone)).ShouldBe([new RemoveDisks(Id)]);
    }

    [Fact]
    public void An_interrupted_delete_or_build_removes_its_outside_disks_and_a_live_row_keeps_them()
    {
        var deleting = AnInstance(VmState.Active, TaskState.Deleting);
        Reconciler.Decide(Facts(deleting, null, directory: true, Clone)).ShouldBe([new RemoveDisks(Id), new RemoveFiles(Id), new FinishDelete(Id)]);

        var building = AnInstance(VmState.Building, TaskState.Spawning, PowerState.NoState);
        Reconciler.Decide(Facts(building, null, directory: true, Clone)).ShouldBe([new RemoveDisks(Id), new RemoveFiles(Id), new MarkError(Id, Reconciler.BuildInterrupted)]);

        var active = AnInstance(VmState.Active, powerState: PowerState.Running);
        Reconciler.Decide(Facts(active, PowerState.Running, directory: true, Clone)).ShouldBeEmpty();
    }

    [Fact]
    public void The_pending_delete_pass_leaves_live_rows_and_orphans_alone()
    {
        var building = AnInstance(VmState.Building, TaskState.Spawning, PowerState.NoState);
        Reconciler.DecidePendingDeletes(Facts(building, null, directory: true, Clone)).ShouldBeEmpty("a build in flight is not interrupted by a periodic pass");
        Reconciler.DecidePendingDeletes(Facts(AnInstance(VmState.Active, TaskState.Deleting), null, directory: true, Clone)).ShouldBeEmpty();
        Reconciler.DecidePendingDeletes(Facts(null, null, directory: false, Clone)).ShouldBeEmpty("an orphan is only listed");
    }

    [Fact]
    public void A_row_of_another_host_keeps_its_outside_disks() =>
        Reconciler.Decide(Facts(AnInstance(VmState.Deleted, powerState: PowerState.NoState) with { Host = "compute2" }, null, directory: false, Clone)).ShouldBeEmpty();

    [Fact]
    public async Task A_delete_whose_disk_removal_fails_marks_the_row_deleted_and_the_next_pass_removes_the_disks()
    {
        _host.Disks.MakesOutsideDisks = OutsideDiskKind.RbdImage;
        var server = await _host.CreateActiveAsync();
        _host.Disks.OutsideDisks.ShouldHaveSingleItem().Name.ShouldBe($"vms/{server.Id:D}_disk");
        var service = _host.Service();
        _host.Disks.Failures.FailOn(nameof(IInstanceDisks.RemoveOutsideDisksAsync));

        var deleted = await service.DeleteServerAsync(server.Id.ToString(), Callers.Admin, Ct);

        deleted.VmState.ShouldBe(VmState.Deleted);
        _host.Hypervisor.Guests.Keys.ShouldNotContain(server.Id);
        _host.Disks.OutsideDisks.ShouldHaveSingleItem().InstanceId.ShouldBe(server.Id);
        _host.Disks.Directories.ShouldContain(server.Id, "the directory goes after the disks");
        (await _host.Store.ListFaultsAsync(server.Id, Ct)).ShouldHaveSingleItem().Message.ShouldContain("the pending-delete pass removes them");
        (await service.ListOrphansAsync(Callers.Admin, Ct)).ShouldBeEmpty("a deleted row ties the disks to this installation");

        var failing = await service.RunPendingDeletesAsync(Callers.Admin, Ct);
        failing.Failed.ShouldHaveSingleItem().Action.ShouldBe(new RemoveDisks(server.Id));
        failing.Skipped.ShouldBe([new RemoveFiles(server.Id)]);
        _host.Disks.Directories.ShouldContain(server.Id);

        _host.Disks.Failures.Clear(nameof(IInstanceDisks.RemoveOutsideDisksAsync));
        var report = await service.RunPendingDeletesAsync(Callers.Admin, Ct);

        report.Done.ShouldBe([new RemoveDisks(server.Id), new RemoveFiles(server.Id)]);
        _host.Disks.OutsideDisks.ShouldBeEmpty();
        _host.ShouldHaveNothingOnHostFor(server.Id);
        (await service.RunPendingDeletesAsync(Callers.Admin, Ct)).Done.ShouldBeEmpty("nothing is left to retry");
    }

    [Fact]
    public async Task The_pending_delete_pass_never_touches_a_live_server_or_an_orphan()
    {
        _host.Disks.MakesOutsideDisks = OutsideDiskKind.LogicalVolume;
        var live = await _host.CreateActiveAsync("live");
        var stranger = Guid.NewGuid();
        _host.Disks.PutOutsideDisk(stranger, OutsideDiskKind.LogicalVolume);

        var report = await _host.Service().RunPendingDeletesAsync(Callers.Admin, Ct);

        report.Done.ShouldBeEmpty();
        report.Failed.ShouldBeEmpty();
        _host.Disks.OutsideDisks.Select(disk => disk.InstanceId).ShouldBe(new[] { live.Id, stranger }.OrderBy(id => $"nova-vg/{id:D}_disk", StringComparer.Ordinal));
        _host.Row(live.Id).VmState.ShouldBe(VmState.Active);
    }

    [Fact]
    public async Task Outside_disks_without_a_row_are_listed_as_orphans_and_purged_one_id_at_a_time()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var disk = _host.Disks.PutOutsideDisk(first);
        _host.Disks.PutOutsideDisk(first, suffix: "_disk.local");
        _host.Disks.PutOutsideDisk(second);
        var service = _host.Service();

        var orphans = await service.ListOrphansAsync(Callers.Admin, Ct);

        orphans.Select(orphan => orphan.InstanceId).ShouldBe(new[] { first, second }.Order());
        var listed = orphans.Single(orphan => orphan.InstanceId == first);
        listed.Kind.ShouldBe(OrphanKind.Disks);
        listed.DirectoryPath.ShouldBeNull();
        listed.Disks.Select(d => d.Name).ShouldBe([disk.Name, disk.Name + ".local"]);
        listed.Disks.ShouldAllBe(d => d.SizeBytes == FakeDisks.OutsideDiskSizeBytes && d.Kind == OutsideDiskKind.RbdImage);

        var purged = await service.PurgeOrphanAsync(first.ToString(), Callers.Admin, Ct);

        purged.Disks.Count.ShouldBe(2);
        _host.Disks.OutsideDisks.ShouldHaveSingleItem().InstanceId.ShouldBe(second);
        (await Should.ThrowAsync<VireoException>(() => service.PurgeOrphanAsync(first.ToString(), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await service.ReconcileAsync(Callers.Admin, Ct)).Quarantined.ShouldHaveSingleItem().InstanceId.ShouldBe(second);
        _host.Disks.OutsideDisks.ShouldHaveSingleItem("reconciliation only lists an orphan's disks").InstanceId.ShouldBe(second);
    }

    [Fact]
    public async Task Purge_refuses_outside_disks_whose_id_has_a_row()
    {
        _host.Disks.MakesOutsideDisks = OutsideDiskKind.RbdImage;
        var server = await _host.CreateActiveAsync();

        (await Should.ThrowAsync<VireoException>(() => _host.Service().PurgeOrphanAsync(server.Id.ToString(), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.Conflict);

        _host.Disks.OutsideDisks.ShouldHaveSingleItem().InstanceId.ShouldBe(server.Id);
    }

    [Fact]
    public async Task When_outside_disks_cannot_be_listed_reconciliation_still_settles_guests_and_directories_and_removes_no_disk()
    {
        var lost = await _host.CreateActiveAsync("lost");
        _host.Store.Forget(lost.Id);
        var stranger = Guid.NewGuid();
        _host.Disks.PutOutsideDisk(stranger);
        _host.Disks.Failures.FailOn(nameof(IInstanceDisks.ListOutsideDisksAsync), ErrorKind.Unavailable);

        var report = await _host.Service().ReconcileAsync(Callers.Admin, Ct);

        report.Succeeded.ShouldBeTrue();
        report.Quarantined.ShouldHaveSingleItem().InstanceId.ShouldBe(lost.Id);
        _host.Disks.OutsideDisks.ShouldHaveSingleItem().InstanceId.ShouldBe(stranger);
        (await Should.ThrowAsync<VireoException>(() => _host.Service().PurgeOrphanAsync(stranger.ToString(), Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.Unavailable, "a purge never goes on without its facts");
    }

    [Theory]
    [InlineData("1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", true)]
    [InlineData("1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk.swap", true)]
    [InlineData("1b4e28ba-2fa1-11d2-883f-0016d3cca427", false)]
    [InlineData("1b4e28ba-2fa1-11d2-883f-0016d3cca427-importing-0a1b", false)]
    [InlineData("1B4E28BA-2FA1-11D2-883F-0016D3CCA427_disk", false)]
    [InlineData("1b4e28ba-2fa1-11d2-883f-0016d3cca427_", false)]
    [InlineData("ephemeral_1_0706d66", false)]
    [InlineData("x1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", false)]
    public void Only_names_uuid_underscore_something_are_tied_to_an_instance(string name, bool tied) =>
        (OutsideDisk.InstanceIdOf(name) is not null).ShouldBe(tied);
}

using System.Runtime.CompilerServices;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.State.Tests;

/// <summary>Core's service over the real SQLite store: the store keeps the promises the service relies on.</summary>
public sealed class ComputeServiceOverSqliteTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly SqliteStore _store;
    private readonly Host _host = new();

    public ComputeServiceOverSqliteTests()
    {
        _store = _database.Open();
        _store.Images.AddAsync(AnImage() with { MinDiskGiB = 0, MinRamMiB = 0 }, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose() => _database.Dispose();

    private const string InstallationId = "installation-1";

    private static readonly ComputeServiceOptions Options = new("compute1") { InstallationId = InstallationId };

    private ComputeService Service(IFaultPoints? faults = null) =>
        new(_store.Instances, _store.Flavors, _store.Images, _host, _host, faults ?? FaultPoints.None, TimeProvider.System, Options);

    [Fact]
    public async Task A_server_lives_through_create_stop_start_reboot_and_delete()
    {
        var service = Service();

        var created = await service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "m1.tiny"), Ct);
        created.VmState.ShouldBe(VmState.Active);
        (await service.StopServerAsync(created.Id.ToString(), null, Ct)).Status.ShouldBe("SHUTOFF");
        (await service.StartServerAsync(created.Id.ToString(), null, Ct)).Status.ShouldBe("ACTIVE");
        (await service.RebootServerAsync(created.Id.ToString(), RebootType.Hard, null, Ct)).Status.ShouldBe("ACTIVE");
        (await service.DeleteServerAsync(created.Id.ToString(), null, Ct)).Status.ShouldBe("DELETED");

        (await service.ListServersAsync(Ct)).ShouldBeEmpty();
        (await service.ListServerActionsAsync(created.Id.ToString(), Ct)).Select(action => (action.Action, action.Result)).ShouldBe(
        [
            ("create", ActionResult.Success), ("stop", ActionResult.Success), ("start", ActionResult.Success),
            ("reboot", ActionResult.Success), ("delete", ActionResult.Success),
        ]);
        _host.Guests.ShouldBeEmpty();
        _host.Directories.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_and_a_deleted_name_is_free()
    {
        var service = Service();
        var first = await service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Ct);

        (await Should.ThrowAsync<VireoException>(() => service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Ct))).Kind.ShouldBe(ErrorKind.Conflict);
        await service.DeleteServerAsync(first.Id.ToString(), null, Ct);
        (await service.CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Ct)).VmState.ShouldBe(VmState.Active);
    }

    [Fact]
    public async Task A_build_that_fails_leaves_an_error_row_with_its_fault_and_nothing_on_the_host()
    {
        _host.FailStart = true;

        await Should.ThrowAsync<VireoException>(() => Service().CreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Ct));

        var row = (await _store.Instances.FindByNameAsync("web1", Ct)).ShouldNotBeNull();
        row.Status.ShouldBe("ERROR");
        (await _store.Instances.ListFaultsAsync(row.Id, Ct)).ShouldHaveSingleItem().Message.ShouldBe(row.FaultReason);
        _host.Guests.ShouldBeEmpty();
        _host.Directories.ShouldBeEmpty();
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
        var build = await dying.BeginCreateServerAsync(new CreateServerRequest("web1", "cirros", "1"), Ct);
        while (_host.Directories.Count == 0)
        {
            await Task.Delay(10, Ct);
        }

        using var restarted = SqliteStore.Open(_database.FilePath);
        var service = new ComputeService(restarted.Instances, restarted.Flavors, restarted.Images, _host, _host, FaultPoints.None, TimeProvider.System, Options);
        var report = await service.ReconcileAsync(Ct);

        report.Succeeded.ShouldBeTrue();
        var row = await service.ShowServerAsync(build.Accepted.Id.ToString(), Ct);
        row.Status.ShouldBe("ERROR");
        row.FaultReason.ShouldBe(Core.Reconciliation.Reconciler.BuildInterrupted);
        _host.Directories.ShouldBeEmpty();
        _host.Guests.ShouldBeEmpty();

        dead.Set();
        await Should.ThrowAsync<Exception>(() => build.Completion);
    }

    [Fact]
    public async Task Reconciliation_reaps_what_a_soft_deleted_row_left_and_quarantines_what_has_no_row()
    {
        var service = Service();
        var deleted = await service.CreateServerAsync(new CreateServerRequest("gone", "cirros", "1"), Ct);
        var row = (await _store.Instances.GetAsync(deleted.Id, Ct)).ShouldNotBeNull();
        await _store.Instances.UpdateAsync(row with { VmState = VmState.Deleted, TaskState = null }, Ct);
        var stray = Guid.NewGuid();
        _host.Guests[stray] = PowerState.Running;
        _host.Directories.Add(stray);

        var report = await Service().ReconcileAsync(Ct);

        report.Done.Select(action => action.InstanceId).Distinct().ShouldBe([deleted.Id], "the deleted row is read although it is not listed");
        _host.Guests.Keys.ShouldBe([stray]);
        _host.Directories.ShouldBe([stray]);
        report.Quarantined.ShouldHaveSingleItem().InstanceId.ShouldBe(stray);
    }

    /// <summary>A minimal hypervisor and disk set.</summary>
    private sealed class Host : IHypervisor, IInstanceDisks
    {
        public Dictionary<Guid, PowerState> Guests { get; } = [];

        public HashSet<Guid> Directories { get; } = [];

        public bool FailStart { get; set; }

        public Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken) => Write(() => Guests.Add(spec.InstanceId, PowerState.Shutdown));

        public Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
            FailStart ? throw new VireoException(ErrorKind.Failed, "no KVM") : Write(() => Guests[instanceId] = PowerState.Running);

        public Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken) => Write(() => Guests[instanceId] = PowerState.Shutdown);

        public Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken) =>
            Task.FromResult(Guests.GetValueOrDefault(instanceId) == PowerState.Running
                ? new EffectiveGuestCpu("host-model", "custom", "EPYC", "AMD", [new GuestCpuFeature("svm", "require")],
                    new GuestVirtualization(true, "svm", "the running CPU requires svm"), DateTimeOffset.UnixEpoch)
                : null);

        public Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken) => Write(() => Guests[instanceId] = PowerState.Running);

        public Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
            Write(() =>
            {
                if (Guests.ContainsKey(instanceId))
                {
                    Guests[instanceId] = PowerState.Shutdown;
                }
            });

        public Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken) => Write(() => Guests.Remove(instanceId));

        public Task<GuestInfo?> GetGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
            Task.FromResult(Guests.TryGetValue(instanceId, out var power) ? new GuestInfo(instanceId, power) : null);

        public Task<IReadOnlyList<GuestInfo>> ListOwnedGuestsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<GuestInfo>>([.. Guests.Select(pair => new GuestInfo(pair.Key, pair.Value))]);

        public Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(Guests.GetValueOrDefault(instanceId) == PowerState.Running ? AgentPing.Answered : AgentPing.NotAnswering);

        public Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(null);

        public async IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }

        public Task<DiskLayout> CreateRootDiskAsync(Instance instance, ImageRecord image, Flavor flavor, IProgress<int>? progress, CancellationToken cancellationToken)
        {
            Write(() => Directories.Add(instance.Id));
            return Task.FromResult(new DiskLayout($"/instances/{instance.Id}", [new GuestDisk(DiskRole.Root, $"/instances/{instance.Id}/disk", DiskFormat.Qcow2)], $"/instances/{instance.Id}/console.log"));
        }

        public Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken) => Write(() => Directories.Remove(instanceId));

        public Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<InstanceDirectoryEntry>>(
                [.. Directories.Select(id => new InstanceDirectoryEntry(id, $"/instances/{id}", new DirectoryOwner(InstallationId, "compute1", id, DateTimeOffset.UnixEpoch)))]);

        private Task Write(Action write)
        {
            lock (this)
            {
                write();
            }

            return Task.CompletedTask;
        }
    }
}

using System.Runtime.CompilerServices;
using Vireo.Core.Ports;
using Vireo.Testing.Contracts;

namespace Vireo.Core.Tests;

/// <summary>
/// The contracts are not vacuous: each behaviour in which the fakes once disagreed with the real
/// implementations (and with each other) is put back into a wrapped fake, and the contract assertion
/// that names it fails. The wrong variants are private, so they are never run as contract suites.
/// </summary>
public sealed class ContractsCatchWrongFakesTests
{
    [Fact]
    public async Task A_hypervisor_that_undefines_a_running_guest_fails_the_hypervisor_contract()
    {
        var contract = new WrongHypervisorContract(new WrongHypervisor { UndefinesRunningGuests = true });

        var e = (await FailureOf(() => contract.Undefining_a_running_guest_is_a_conflict_and_leaves_it_running())).ShouldBeOfType<ShouldAssertException>();

        e.Message.ShouldContain("VireoException");
    }

    [Fact]
    public async Task A_hypervisor_that_calls_an_unknown_guest_a_failure_fails_the_hypervisor_contract()
    {
        var contract = new WrongHypervisorContract(new WrongHypervisor { UnknownIsFailed = true });

        var e = (await FailureOf(() => contract.An_unknown_guest_is_null_unlisted_and_not_found_for_every_operation_on_it())).ShouldBeOfType<ShouldAssertException>();

        e.Message.ShouldContain("Failed");
    }

    [Fact]
    public async Task A_hypervisor_that_sends_no_events_for_its_own_changes_fails_the_hypervisor_contract()
    {
        var contract = new WrongHypervisorContract(new WrongHypervisor { Silent = true });

        var e = await Should.ThrowAsync<TimeoutException>(() => contract.A_watcher_sees_the_changes_the_hypervisor_makes_itself_in_order());

        e.Message.ShouldContain("no Running event");
    }

    [Fact]
    public async Task A_store_that_adds_a_flavor_over_a_taken_name_fails_the_store_contract()
    {
        var contract = new WrongStoreContract(new WrongStore { FlavorAddOverwrites = true });

        (await FailureOf(() => contract.Flavors_read_back_by_id_and_name_and_a_taken_id_or_name_is_a_conflict())).ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task A_store_listing_flavor_ids_in_plain_text_order_fails_the_store_contract()
    {
        var contract = new WrongStoreContract(new WrongStore { FlavorsInTextOrder = true });

        var e = (await FailureOf(() => contract.Flavors_are_listed_shorter_ids_first_so_numeric_ids_are_in_numeric_order())).ShouldBeOfType<ShouldAssertException>();

        e.Message.ShouldContain("906");
    }

    [Fact]
    public async Task A_store_keeping_actions_of_an_unknown_instance_fails_the_store_contract()
    {
        var contract = new WrongStoreContract(new WrongStore { ActionsWithoutInstance = true });

        (await FailureOf(() => contract.Actions_belong_to_an_existing_instance_one_per_request_oldest_first())).ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task A_store_listing_every_projects_servers_to_one_project_fails_the_store_contract()
    {
        var contract = new WrongStoreContract(new WrongStore { QueryIgnoresProject = true });

        (await FailureOf(() => contract.A_query_lists_one_projects_live_servers_newest_first_then_by_id_descending())).ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task Disks_dropping_blank_console_lines_fail_the_disks_contract()
    {
        var contract = new WrongDisksContract();

        var e = (await FailureOf(() => contract.The_console_tail_keeps_blank_lines_and_ends_every_line())).ShouldBeOfType<ShouldAssertException>();

        e.Message.ShouldContain("three");
    }

    [Fact]
    public async Task An_image_store_with_content_for_any_image_fails_the_image_store_contract()
    {
        var contract = new WrongImageStoreContract();

        var e = (await FailureOf(() => contract.Delete_removes_metadata_and_content_and_an_unknown_image_is_not_found())).ShouldBeOfType<ShouldAssertException>();

        e.Message.ShouldContain("NotFound");
    }

    [Fact]
    public async Task An_image_cache_manager_reporting_a_frozen_time_fails_the_image_cache_manager_contract()
    {
        var contract = new FrozenClockImageCacheContract();

        var e = (await FailureOf(() => contract.Each_inspection_reads_afresh_a_deleted_user_and_the_passing_time_change_the_verdict())).ShouldBeOfType<ShouldAssertException>();

        e.Message.ShouldContain("second.At");
    }

    /// <summary>What a contract test threw (Shouldly's own assertions pass through <c>Should.Throw</c>, so caught here).</summary>
    private static async Task<Exception> FailureOf(Func<Task> contractTest)
    {
        try
        {
            await contractTest();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new ShouldAssertException("the contract passed the wrong fake");
    }

    /// <summary>The shared fake with one old disagreement put back.</summary>
    private sealed class WrongHypervisor : IHypervisor
    {
        private readonly FakeHypervisor _inner = new();

        public bool UndefinesRunningGuests { get; init; }

        public bool UnknownIsFailed { get; init; }

        public bool Silent { get; init; }

        public FakeHypervisor Inner => _inner;

        public Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken) => _inner.DefineGuestAsync(spec, cancellationToken);

        public Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken) => Map(_inner.StartGuestAsync(instanceId, cancellationToken));

        public Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken) =>
            Map(_inner.StopGuestAsync(instanceId, graceful, timeout, cancellationToken));

        public Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken) => Map(_inner.RebootGuestAsync(instanceId, hard, cancellationToken));

        public Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken) => _inner.DestroyGuestAsync(instanceId, cancellationToken);

        public async Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken)
        {
            if (UndefinesRunningGuests)
            {
                await _inner.DestroyGuestAsync(instanceId, cancellationToken);
            }

            await _inner.UndefineGuestAsync(instanceId, cancellationToken);
        }

        public Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken) => _inner.ReadGuestCpuAsync(instanceId, cancellationToken);

        public Task<GuestInfo?> GetGuestAsync(Guid instanceId, CancellationToken cancellationToken) => _inner.GetGuestAsync(instanceId, cancellationToken);

        public Task<IReadOnlyList<GuestInfo>> ListOwnedGuestsAsync(CancellationToken cancellationToken) => _inner.ListOwnedGuestsAsync(cancellationToken);

        public Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken) =>
            _inner.PingAgentAsync(instanceId, timeout, cancellationToken);

        public Task CopyRunningRootDiskAsync(Guid instanceId, string targetPath, DiskFormat format, CancellationToken cancellationToken) =>
            Map(_inner.CopyRunningRootDiskAsync(instanceId, targetPath, format, cancellationToken));

        public async IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var change in _inner.WatchPowerStateAsync(cancellationToken))
            {
                if (!Silent)
                {
                    yield return change;
                }
            }
        }

        private async Task Map(Task call)
        {
            try
            {
                await call;
            }
            catch (VireoException e) when (UnknownIsFailed && e.Kind == ErrorKind.NotFound)
            {
                throw new VireoException(ErrorKind.Failed, e.Message, e);
            }
        }
    }

    private sealed class WrongHypervisorContract(WrongHypervisor hypervisor) : HypervisorContract
    {
        protected override IHypervisor Hypervisor => hypervisor;

        protected override TimeSpan EventDeadline => TimeSpan.FromSeconds(1);

        protected override GuestSpec NewSpec(string label)
        {
            var id = Guid.NewGuid();
            var directory = FakeDisks.DirectoryOf(id);
            return new GuestSpec(id, label, FakeHost.Tiny, FakeHost.Cirros, new DiskLayout(directory, [], directory + "/console.log"));
        }

        protected override ValueTask RemoveGuestAsync(Guid instanceId)
        {
            if (hypervisor.Inner.Guests.ContainsKey(instanceId))
            {
                hypervisor.Inner.ChangeBehindOurBack(instanceId, power: null);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The shared store with one old disagreement put back.</summary>
    private sealed class WrongStore
    {
        public InMemoryStore Inner { get; } = new();

        public bool FlavorAddOverwrites { get; init; }

        public bool FlavorsInTextOrder { get; init; }

        public bool ActionsWithoutInstance { get; init; }

        public bool QueryIgnoresProject { get; init; }
    }

    private sealed class WrongStoreContract(WrongStore store) : StoreContract
    {
        protected override IInstanceStore Instances => new WrongInstances(store);

        protected override IFlavorStore Flavors => new WrongFlavors(store);

        protected override IImageRegistry Images => store.Inner;
    }

    private sealed class WrongFlavors(WrongStore store) : IFlavorStore
    {
        private IFlavorStore Inner => store.Inner;

        public Task<Flavor?> GetAsync(string id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

        public Task<Flavor?> FindByNameAsync(string name, CancellationToken cancellationToken) => Inner.FindByNameAsync(name, cancellationToken);

        public async Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken)
        {
            var list = await Inner.ListAsync(cancellationToken);
            return store.FlavorsInTextOrder ? [.. list.OrderBy(flavor => flavor.Id, StringComparer.Ordinal)] : list;
        }

        public Task AddAsync(Flavor flavor, CancellationToken cancellationToken)
        {
            if (store.FlavorAddOverwrites)
            {
                store.Inner.Put(flavor);
                return Task.CompletedTask;
            }

            return Inner.AddAsync(flavor, cancellationToken);
        }

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Inner.DeleteAsync(id, cancellationToken);
    }

    private sealed class WrongInstances(WrongStore store) : IInstanceStore
    {
        private readonly List<InstanceAction> _orphanActions = [];

        private IInstanceStore Inner => store.Inner;

        public Task AddAsync(Instance instance, CancellationToken cancellationToken) => Inner.AddAsync(instance, cancellationToken);

        public Task<Instance?> GetAsync(Guid id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<Instance>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken) =>
            Inner.QueryAsync(store.QueryIgnoresProject ? query with { ProjectId = null } : query, cancellationToken);

        public Task<IReadOnlyList<Instance>> ListAsync(bool includeDeleted, CancellationToken cancellationToken) => Inner.ListAsync(includeDeleted, cancellationToken);

        public Task<Instance> UpdateAsync(Instance instance, CancellationToken cancellationToken) => Inner.UpdateAsync(instance, cancellationToken);

        public async Task AddActionAsync(InstanceAction action, CancellationToken cancellationToken)
        {
            if (store.ActionsWithoutInstance && await Inner.GetAsync(action.InstanceId, cancellationToken) is null)
            {
                _orphanActions.Add(action);
                return;
            }

            await Inner.AddActionAsync(action, cancellationToken);
        }

        public Task FinishActionAsync(Guid instanceId, string requestId, DateTimeOffset finishedAt, ActionResult result, string? message, CancellationToken cancellationToken) =>
            Inner.FinishActionAsync(instanceId, requestId, finishedAt, result, message, cancellationToken);

        public Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken) => Inner.ListActionsAsync(instanceId, cancellationToken);

        public Task AddFaultAsync(InstanceFault fault, CancellationToken cancellationToken) => Inner.AddFaultAsync(fault, cancellationToken);

        public Task<IReadOnlyList<InstanceFault>> ListFaultsAsync(Guid instanceId, CancellationToken cancellationToken) => Inner.ListFaultsAsync(instanceId, cancellationToken);
    }

    /// <summary>The fake disks cutting the console tail as the old Core fake did: blank lines dropped.</summary>
    private sealed class WrongDisksContract : InstanceDisksContract
    {
        private readonly FakeDisks _disks = new();

        protected override IInstanceDisks Disks => new BlankLinesDropped(_disks);

        protected override (string InstallationId, string Host) Owner => (FakeDisks.InstallationId, _disks.Host);

        protected override Task<ImageRecord> AnImageAsync() => Task.FromResult(FakeHost.Cirros);

        protected override Task WriteConsoleLogAsync(Guid instanceId, DiskLayout layout, string text)
        {
            _disks.ConsoleLogs.Write(instanceId, text);
            return Task.CompletedTask;
        }
    }

    private sealed class BlankLinesDropped(FakeDisks inner) : IInstanceDisks
    {
        public Task<DiskLayout> CreateRootDiskAsync(Instance instance, ImageRecord image, Flavor flavor, IProgress<int>? progress, CancellationToken cancellationToken) =>
            inner.CreateRootDiskAsync(instance, image, flavor, progress, cancellationToken);

        public Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken) => inner.DeleteInstanceFilesAsync(instanceId, cancellationToken);

        public async Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
        {
            var all = await inner.ReadConsoleLogTailAsync(instanceId, null, cancellationToken);
            return all is null || lines is not { } n
                ? all
                : string.Concat(all.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(n).Select(line => line + "\n"));
        }

        public Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken) => inner.ListInstanceDirectoriesAsync(cancellationToken);

        public Task<IReadOnlyList<OutsideDisk>> ListOutsideDisksAsync(CancellationToken cancellationToken) => inner.ListOutsideDisksAsync(cancellationToken);

        public Task RemoveOutsideDisksAsync(Guid instanceId, CancellationToken cancellationToken) => inner.RemoveOutsideDisksAsync(instanceId, cancellationToken);
        public RunningDiskCopy RunningRootDiskCopy => inner.RunningRootDiskCopy;

        public string SnapshotFilePath(Guid instanceId, Guid imageId) => inner.SnapshotFilePath(instanceId, imageId);

        public Task ExportRootDiskAsync(Guid instanceId, Guid imageId, string targetPath, DiskFormat format, CancellationToken cancellationToken) =>
            inner.ExportRootDiskAsync(instanceId, imageId, targetPath, format, cancellationToken);

        public Task<Stream> OpenSnapshotFileAsync(string path, CancellationToken cancellationToken) => inner.OpenSnapshotFileAsync(path, cancellationToken);

        public Task RemoveSnapshotFileAsync(string path, CancellationToken cancellationToken) => inner.RemoveSnapshotFileAsync(path, cancellationToken);
    }

    /// <summary>The fake image store answering every download with some bytes, as the old API fake did.</summary>
    private sealed class WrongImageStoreContract : ImageStoreContract
    {
        private readonly FakeImageStore _store = new();

        protected override IImageStore Store => new ContentForAnyImage(_store);

        protected override IImageCatalog Catalog => _store;
    }

    private sealed class ContentForAnyImage(FakeImageStore inner) : IImageStore
    {
        public Task<ImageRecord> ImportAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
            inner.ImportAsync(request, content, progress, cancellationToken);

        public Task<ImageRecord> RegisterAsync(ImageImportRequest request, CancellationToken cancellationToken) => inner.RegisterAsync(request, cancellationToken);

        public Task<ImageRecord> UploadAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
            inner.UploadAsync(id, content, progress, cancellationToken);

        public Task DeleteAsync(Guid id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);

        public Task<ImageSaving> BeginSavingAsync(ImageImportRequest request, CancellationToken cancellationToken) => inner.BeginSavingAsync(request, cancellationToken);

        public Task<ImageRecord> FinishSavingAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
            inner.FinishSavingAsync(id, content, progress, cancellationToken);

        public Task AbandonSavingAsync(Guid id, CancellationToken cancellationToken) => inner.AbandonSavingAsync(id, cancellationToken);

        public Task<Stream> OpenContentAsync(Guid id, CancellationToken cancellationToken) =>
            Task.FromResult<Stream>(new MemoryStream("fake image content"u8.ToArray()));
    }

    /// <summary>The fake image cache manager reporting the time its facts were set at, as it did before it read a clock.</summary>
    private sealed class FrozenClockImageCacheContract : FakeImageCacheManagerContractTests
    {
        public FrozenClockImageCacheContract() => Fake.Time = null;
    }
}

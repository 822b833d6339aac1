using Vireo.Core;

namespace Vireo.State.Tests;

public sealed class InstanceStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_added_instance_reads_back_equal_by_id_with_its_owner()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance() with { FaultReason = "none yet", LaunchedAt = T0.AddSeconds(3), TerminatedAt = T0.AddDays(1) };

        await store.AddAsync(instance, Ct);

        (await store.GetAsync(instance.Id, Ct)).ShouldBe(instance);
        (await store.GetAsync(Guid.NewGuid(), Ct)).ShouldBeNull();
        var owned = instance with { Id = Guid.NewGuid(), ProjectId = "projB", UserId = "bob" };
        await store.AddAsync(owned, Ct);
        (await store.GetAsync(owned.Id, Ct)).ShouldBe(owned);
    }

    [Fact]
    public async Task Every_state_combination_round_trips()
    {
        var store = _database.Open().Instances;
        var index = 0;
        foreach (var vmState in Enum.GetValues<VmState>())
        {
            foreach (var task in Enum.GetValues<TaskState>().Cast<TaskState?>().Append(null))
            {
                var power = Enum.GetValues<PowerState>()[index % Enum.GetValues<PowerState>().Length];
                var instance = AnInstance($"s{index++}", vmState, task) with { PowerState = power };
                await store.AddAsync(instance, Ct);
                (await store.GetAsync(instance.Id, Ct)).ShouldBe(instance);
            }
        }
    }

    [Fact]
    public async Task Timestamps_keep_their_instant_and_are_stored_as_iso_8601_utc_text()
    {
        var store = _database.Open();
        var instance = AnInstance() with { CreatedAt = new DateTimeOffset(2025, 6, 7, 10, 9, 10, TimeSpan.FromHours(2)) };
        await store.Instances.AddAsync(instance, Ct);

        (await store.Instances.GetAsync(instance.Id, Ct)).ShouldNotBeNull().CreatedAt.ShouldBe(instance.CreatedAt);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT created_at, vm_state, task_state, power_state FROM instances";
        using var reader = command.ExecuteReader();
        reader.Read().ShouldBeTrue();
        reader.GetString(0).ShouldBe("2025-06-07T08:09:10.0000000Z");
        reader.GetString(1).ShouldBe("building");
        reader.GetString(2).ShouldBe("scheduling");
        reader.GetInt32(3).ShouldBe(0);
    }

    [Fact]
    public async Task Two_live_instances_may_share_a_name()
    {
        var store = _database.Open().Instances;
        var first = AnInstance();
        var second = AnInstance();
        await store.AddAsync(first, Ct);

        await store.AddAsync(second, Ct);

        (await store.ListAsync(includeDeleted: false, Ct)).Select(instance => instance.Name).ShouldBe(["web1", "web1"]);
    }

    [Fact]
    public async Task A_deleted_instances_name_is_free_again_and_the_deleted_row_stays()
    {
        var store = _database.Open().Instances;
        var first = AnInstance();
        await store.AddAsync(first, Ct);
        await store.UpdateAsync(first with { VmState = VmState.Deleted, TaskState = null }, Ct);

        var second = AnInstance();
        await store.AddAsync(second, Ct);

        (await store.GetAsync(first.Id, Ct)).ShouldNotBeNull().IsDeleted.ShouldBeTrue();
        (await store.ListAsync(includeDeleted: false, Ct)).Select(instance => instance.Id).ShouldBe([second.Id]);
        (await store.ListAsync(includeDeleted: true, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_duplicate_id_is_a_conflict()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance();
        await store.AddAsync(instance, Ct);

        var refusal = await Should.ThrowAsync<VireoException>(() => store.AddAsync(instance with { Name = "other" }, Ct));
        refusal.Kind.ShouldBe(ErrorKind.Conflict);
    }

    [Fact]
    public async Task Listing_is_newest_first()
    {
        var store = _database.Open().Instances;
        await store.AddAsync(AnInstance("old") with { CreatedAt = T0 }, Ct);
        await store.AddAsync(AnInstance("new") with { CreatedAt = T0.AddMinutes(1) }, Ct);
        await store.AddAsync(AnInstance("mid") with { CreatedAt = T0.AddSeconds(30) }, Ct);

        (await store.ListAsync(includeDeleted: false, Ct)).Select(instance => instance.Name).ShouldBe(["new", "mid", "old"]);
    }

    [Fact]
    public async Task An_update_stores_every_field_and_returns_the_next_revision()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance();
        await store.AddAsync(instance, Ct);
        var changed = instance with
        {
            VmState = VmState.Active,
            TaskState = null,
            PowerState = PowerState.Running,
            FaultReason = "was broken",
            LaunchedAt = T0.AddMinutes(1),
            UpdatedAt = T0.AddMinutes(1),
        };

        var updated = await store.UpdateAsync(changed, Ct);

        updated.Revision.ShouldBe(1);
        (await store.GetAsync(instance.Id, Ct)).ShouldBe(changed with { Revision = 1 });
    }

    [Fact]
    public async Task An_update_from_a_stale_read_is_a_conflict_and_changes_nothing()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance();
        await store.AddAsync(instance, Ct);
        await store.UpdateAsync(instance with { TaskState = TaskState.Spawning }, Ct);

        var refusal = await Should.ThrowAsync<VireoException>(() => store.UpdateAsync(instance with { TaskState = TaskState.Deleting }, Ct));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldContain("was changed by another request");
        (await store.GetAsync(instance.Id, Ct)).ShouldNotBeNull().TaskState.ShouldBe(TaskState.Spawning);
    }

    [Fact]
    public async Task Updating_a_missing_instance_is_not_found()
    {
        var store = _database.Open().Instances;
        (await Should.ThrowAsync<VireoException>(() => store.UpdateAsync(AnInstance(), Ct))).Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Renaming_onto_a_live_name_is_allowed()
    {
        var store = _database.Open().Instances;
        await store.AddAsync(AnInstance("a"), Ct);
        var b = AnInstance("b");
        await store.AddAsync(b, Ct);

        (await store.UpdateAsync(b with { Name = "a" }, Ct)).Name.ShouldBe("a");
    }

    [Fact]
    public async Task Actions_are_recorded_finished_and_listed_oldest_first()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance();
        await store.AddAsync(instance, Ct);
        await store.AddActionAsync(new InstanceAction(instance.Id, "req-1", "create", T0), Ct);
        await store.AddActionAsync(new InstanceAction(instance.Id, "req-2", "stop", T0.AddMinutes(2)), Ct);

        await store.FinishActionAsync(instance.Id, "req-1", T0.AddMinutes(1), ActionResult.Error, "the build failed", Ct);

        (await store.ListActionsAsync(instance.Id, Ct)).ShouldBe(
        [
            new InstanceAction(instance.Id, "req-1", "create", T0, T0.AddMinutes(1), ActionResult.Error, "the build failed"),
            new InstanceAction(instance.Id, "req-2", "stop", T0.AddMinutes(2)),
        ]);
    }

    [Fact]
    public async Task Action_mistakes_are_reported_as_not_found_or_conflict()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance();

        (await Should.ThrowAsync<VireoException>(() => store.AddActionAsync(new InstanceAction(instance.Id, "req-1", "create", T0), Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        await store.AddAsync(instance, Ct);
        await store.AddActionAsync(new InstanceAction(instance.Id, "req-1", "create", T0), Ct);
        (await Should.ThrowAsync<VireoException>(() => store.AddActionAsync(new InstanceAction(instance.Id, "req-1", "delete", T0), Ct))).Kind.ShouldBe(ErrorKind.Conflict);
        (await Should.ThrowAsync<VireoException>(() => store.FinishActionAsync(instance.Id, "req-9", T0, ActionResult.Success, null, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Faults_are_listed_newest_first_and_need_their_instance()
    {
        var store = _database.Open().Instances;
        var instance = AnInstance();
        await store.AddAsync(instance, Ct);
        var older = new InstanceFault(instance.Id, 500, "first", T0, "stack");
        var newer = new InstanceFault(instance.Id, 503, "second", T0.AddMinutes(1));

        await store.AddFaultAsync(older, Ct);
        await store.AddFaultAsync(newer, Ct);

        (await store.ListFaultsAsync(instance.Id, Ct)).ShouldBe([newer, older]);
        (await Should.ThrowAsync<VireoException>(() => store.AddFaultAsync(older with { InstanceId = Guid.NewGuid() }, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
    }
}

using Microsoft.Data.Sqlite;
using Vireo.Core;

namespace Vireo.State.Tests;

/// <summary>Two stores on one file behave like two processes sharing the database.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_write_through_one_connection_is_read_through_another()
    {
        var one = _database.Open();
        var other = _database.Open();
        var instance = AnInstance();

        await one.Instances.AddAsync(instance, Ct);

        (await other.Instances.GetAsync(instance.Id, Ct)).ShouldBe(instance);
    }

    [Fact]
    public async Task Of_two_updates_from_the_same_read_exactly_one_wins()
    {
        var one = _database.Open();
        var other = _database.Open();
        var instance = AnInstance();
        await one.Instances.AddAsync(instance, Ct);

        var outcomes = await Task.WhenAll(
            Attempt(() => one.Instances.UpdateAsync(instance with { TaskState = TaskState.Deleting }, Ct)),
            Attempt(() => other.Instances.UpdateAsync(instance with { TaskState = TaskState.Spawning }, Ct)));

        outcomes.Count(outcome => outcome == "won").ShouldBe(1);
        outcomes.Count(outcome => outcome == ErrorKind.Conflict.ToString()).ShouldBe(1);
        (await one.Instances.GetAsync(instance.Id, Ct)).ShouldNotBeNull().Revision.ShouldBe(1);
    }

    [Fact]
    public async Task Many_concurrent_writers_on_two_connections_all_succeed()
    {
        var stores = new[] { _database.Open(), _database.Open() };

        await Task.WhenAll(Enumerable.Range(0, 40).Select(index => Task.Run(
            async () =>
            {
                var store = stores[index % 2].Instances;
                var instance = AnInstance($"s{index}");
                await store.AddAsync(instance, Ct);
                await store.AddActionAsync(new InstanceAction(instance.Id, $"req-{index}", "create", T0), Ct);
                await store.UpdateAsync(instance with { VmState = VmState.Active, TaskState = null }, Ct);
            },
            Ct)));

        (await stores[0].Instances.ListAsync(includeDeleted: false, Ct)).Count.ShouldBe(40);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_id_on_two_connections_leave_one_row()
    {
        var stores = new[] { _database.Open(), _database.Open() };
        var instance = AnInstance("twin");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(index =>
            Attempt(() => stores[index % 2].Instances.AddAsync(instance, Ct))));

        outcomes.Count(outcome => outcome == "won").ShouldBe(1);
        outcomes.Where(outcome => outcome != "won").ShouldAllBe(outcome => outcome == ErrorKind.Conflict.ToString());
    }

    [Fact]
    public async Task A_writer_blocked_past_the_busy_timeout_fails_as_unavailable()
    {
        var store = _database.Open(TimeSpan.FromMilliseconds(200));
        using var holder = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        holder.Open();
        using var transaction = holder.BeginTransaction(deferred: false);

        var refusal = await Should.ThrowAsync<VireoException>(() => store.Instances.AddAsync(AnInstance(), Ct));

        refusal.Kind.ShouldBe(ErrorKind.Unavailable);
        refusal.Message.ShouldContain("locked by another process");
    }

    [Fact]
    public async Task Readers_are_not_blocked_by_an_open_write_transaction()
    {
        var store = _database.Open(TimeSpan.FromMilliseconds(200));
        var instance = AnInstance();
        await store.Instances.AddAsync(instance, Ct);
        using var holder = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        holder.Open();
        using var transaction = holder.BeginTransaction(deferred: false);

        (await store.Instances.GetAsync(instance.Id, Ct)).ShouldBe(instance);
    }

    private static async Task<string> Attempt(Func<Task> write)
    {
        try
        {
            await write();
            return "won";
        }
        catch (VireoException refusal)
        {
            return refusal.Kind.ToString();
        }
    }
}

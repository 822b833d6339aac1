using Microsoft.Data.Sqlite;
using Vireo.Core;
using Vireo.State.Schema;

namespace Vireo.State.Tests;

public sealed class MigrationTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Opening_a_new_file_applies_every_migration_in_order()
    {
        var store = _database.Open();

        store.AppliedMigrations.ShouldBe(SchemaMigrations.All.Select(migration => migration.Version));
        store.SchemaVersion.ShouldBe(SchemaMigrations.LatestVersion);
        File.Exists(_database.FilePath).ShouldBeTrue();
    }

    [Fact]
    public async Task Reopening_applies_nothing_and_keeps_the_data()
    {
        var first = _database.Open();
        var instance = AnInstance();
        await first.Instances.AddAsync(instance, Ct);
        first.Dispose();

        var second = _database.Open();

        second.AppliedMigrations.ShouldBeEmpty();
        second.SchemaVersion.ShouldBe(SchemaMigrations.LatestVersion);
        (await second.Instances.GetAsync(instance.Id, Ct)).ShouldBe(instance);
        (await second.Flavors.ListAsync(Ct)).Count.ShouldBe(5, "the default flavors are seeded once");
    }

    [Fact]
    public void Migrations_are_numbered_one_by_one_from_one()
    {
        SchemaMigrations.All.Select(migration => migration.Version).ShouldBe(Enumerable.Range(1, SchemaMigrations.All.Count));
        SchemaMigrations.All.ShouldAllBe(migration => !string.IsNullOrWhiteSpace(migration.Description) && !string.IsNullOrWhiteSpace(migration.Sql));
    }

    [Fact]
    public void The_database_is_in_wal_mode()
    {
        _database.Open();

        using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        command.ExecuteScalar().ShouldBe("wal");
    }

    [Fact]
    public void A_database_from_a_newer_vireo_is_refused_as_a_configuration_error()
    {
        _database.Open().Dispose();
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999";
            command.ExecuteNonQuery();
        }

        var refusal = Should.Throw<VireoException>(() => _database.Open());

        refusal.Kind.ShouldBe(ErrorKind.Configuration);
        refusal.Message.ShouldContain("schema version 999");
        refusal.Message.ShouldContain(_database.FilePath);
    }

    [Fact]
    public void A_database_in_a_missing_directory_is_a_configuration_error_naming_the_path()
    {
        var path = Path.Combine(_database.Directory, "missing", "vireo.sqlite");

        var refusal = Should.Throw<VireoException>(() => SqliteStore.Open(path));

        refusal.Kind.ShouldBe(ErrorKind.Configuration);
        refusal.Message.ShouldContain(path);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_as_damaged()
    {
        File.WriteAllText(_database.FilePath, new string('x', 4096));

        var refusal = Should.Throw<VireoException>(() => _database.Open());

        refusal.Kind.ShouldBe(ErrorKind.Failed);
        refusal.Message.ShouldContain("not a SQLite database");
    }

    [Fact]
    public async Task Several_processes_opening_a_new_database_at_once_apply_each_migration_once()
    {
        var opens = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _database.Open(), Ct)));

        opens.SelectMany(store => store.AppliedMigrations).Order().ShouldBe(SchemaMigrations.All.Select(migration => migration.Version));
        (await opens[0].Flavors.ListAsync(Ct)).Count.ShouldBe(5);
    }
}

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
    public async Task A_database_of_schema_4_keeps_every_row_owned_by_the_default_project_with_its_images_public()
    {
        var instanceIds = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var imageId = Guid.NewGuid();
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            foreach (var migration in SchemaMigrations.All.Where(migration => migration.Version <= 4))
            {
                Execute(connection, migration.Sql);
            }

            Execute(connection, "PRAGMA user_version = 4");
            var states = new[] { "active", "stopped", "deleted" };
            for (var i = 0; i < instanceIds.Length; i++)
            {
                Execute(connection, $"""
                    INSERT INTO instances (id, name, image_id, flavor_id, vm_state, power_state, host, created_at, updated_at)
                    VALUES ('{instanceIds[i]:D}', 'web{i}', '{imageId:D}', '1', '{states[i]}', 1, 'compute1',
                            '2025-01-0{i + 1}T00:00:00.0000000Z', '2025-01-0{i + 1}T00:00:00.0000000Z')
                    """);
            }

            Execute(connection, $"""
                INSERT INTO images (id, name, status, disk_format, container_format, created_at, updated_at, md5)
                VALUES ('{imageId:D}', 'cirros', 'active', 'qcow2', 'bare', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:00.0000000Z', 'abc');
                INSERT INTO image_properties (image_id, key, value) VALUES ('{imageId:D}', 'hw_qemu_guest_agent', 'yes');
                """);
        }

        using var store = SqliteStore.Open(_database.FilePath, defaultProjectId: "site-admin");

        store.AppliedMigrations.ShouldBe(SchemaMigrations.All.Where(migration => migration.Version > 4).Select(migration => migration.Version));
        var rows = await store.Instances.ListAsync(includeDeleted: true, Ct);
        rows.Select(row => row.Id).Order().ShouldBe(instanceIds.Order());
        rows.ShouldAllBe(row => row.ProjectId == "site-admin" && row.UserId == "vireo");
        (await store.Instances.QueryAsync(new Core.Ports.InstanceQuery { ProjectId = "site-admin" }, Ct)).Select(row => row.Name).ShouldBe(["web1", "web0"]);
        var image = (await store.Images.GetAsync(imageId, Ct)).ShouldNotBeNull();
        image.Owner.ShouldBe("site-admin");
        image.Visibility.ShouldBe(Core.Tenancy.ImageVisibility.Public, "every caller saw it before ownership");
        image.Md5.ShouldBe("abc");
        image.Properties["hw_qemu_guest_agent"].ShouldBe("yes");

        var twin = rows.Single(row => row.Name == "web0") with { Id = Guid.NewGuid(), Revision = 0 };
        await store.Instances.AddAsync(twin, Ct);
        (await store.Instances.ListAsync(includeDeleted: false, Ct)).Count(row => row.Name == "web0").ShouldBe(2, "names are no longer unique");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
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

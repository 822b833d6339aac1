using Microsoft.Data.Sqlite;
using Vireo.Core;
using Vireo.State.Schema;

namespace Vireo.State.Tests;

/// <summary>instances.effective_cpu (migration 3): the guest CPU of the last boot, NULL = not recorded.</summary>
public sealed class EffectiveCpuStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static EffectiveGuestCpu Epyc(bool? exposed = true) => new(
        "host-model", "custom", "EPYC", "AMD",
        [new GuestCpuFeature("acpi", "require"), new GuestCpuFeature("vme", "disable")],
        new GuestVirtualization(exposed, exposed == true ? "svm" : null, "model EPYC has svm in libvirt's CPU map and the running CPU keeps it"),
        T0);

    [Fact]
    public async Task A_recorded_cpu_round_trips_through_add_and_update_with_every_field()
    {
        var store = _database.Open();
        var instance = AnInstance() with { EffectiveCpu = Epyc() };
        await store.Instances.AddAsync(instance, Ct);

        var read = (await store.Instances.GetAsync(instance.Id, Ct))!.EffectiveCpu!;

        read.RequestedMode.ShouldBe("host-model");
        read.Mode.ShouldBe("custom");
        read.Model.ShouldBe("EPYC");
        read.Vendor.ShouldBe("AMD");
        read.Features.ShouldBe([new("acpi", "require"), new("vme", "disable")]);
        read.Virtualization.ShouldBe(instance.EffectiveCpu!.Virtualization);
        read.RecordedAt.ShouldBe(T0);

        var stored = (await store.Instances.GetAsync(instance.Id, Ct))!;
        var updated = await store.Instances.UpdateAsync(stored with { EffectiveCpu = Epyc(exposed: null) with { Model = null, Vendor = null, Mode = "host-passthrough" } }, Ct);
        var again = (await store.Instances.GetAsync(updated.Id, Ct))!.EffectiveCpu!;
        again.Model.ShouldBeNull();
        again.Vendor.ShouldBeNull();
        again.Virtualization.Exposed.ShouldBeNull();
        again.Virtualization.Feature.ShouldBeNull();
    }

    [Fact]
    public async Task An_update_without_a_cpu_clears_it_to_not_recorded()
    {
        var store = _database.Open();
        var instance = AnInstance() with { EffectiveCpu = Epyc() };
        await store.Instances.AddAsync(instance, Ct);

        var stored = (await store.Instances.GetAsync(instance.Id, Ct))!;
        await store.Instances.UpdateAsync(stored with { EffectiveCpu = null }, Ct);

        (await store.Instances.GetAsync(instance.Id, Ct))!.EffectiveCpu.ShouldBeNull();
    }

    [Fact]
    public async Task A_row_written_before_migration_3_reads_as_not_recorded_after_the_upgrade()
    {
        var id = Guid.NewGuid();
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            foreach (var migration in SchemaMigrations.All.Where(m => m.Version <= 2))
            {
                Execute(connection, migration.Sql);
            }

            Execute(connection, "PRAGMA user_version = 2");
            Execute(connection, $"""
                INSERT INTO instances (id, name, image_id, flavor_id, vm_state, task_state, power_state, fault_reason, host, created_at, updated_at, revision)
                VALUES ('{id:D}', 'old', '{Guid.NewGuid():D}', '1', 'active', NULL, 1, NULL, 'h', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:00.0000000Z', 0)
                """);
        }

        var store = _database.Open();

        store.AppliedMigrations.ShouldBe([.. SchemaMigrations.All.Select(m => m.Version).Where(v => v > 2)]);
        var old = (await store.Instances.GetAsync(id, Ct))!;
        old.Name.ShouldBe("old");
        old.EffectiveCpu.ShouldBeNull();
    }

    [Fact]
    public async Task A_column_this_code_did_not_write_is_an_internal_error_naming_the_instance_and_the_fix()
    {
        var store = _database.Open();
        var instance = AnInstance();
        await store.Instances.AddAsync(instance, Ct);
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            Execute(connection, $"UPDATE instances SET effective_cpu = '{{\"model\": 1}}' WHERE id = '{instance.Id:D}'");
        }

        var e = await Should.ThrowAsync<VireoException>(() => store.Instances.GetAsync(instance.Id, Ct));

        e.Kind.ShouldBe(ErrorKind.Internal);
        e.Message.ShouldContain(instance.Id.ToString());
        e.Message.ShouldContain("set it to NULL");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using Microsoft.Data.Sqlite;
using Vireo.Core;
using Vireo.Core.Ports;
using static Vireo.State.SqlValues;

namespace Vireo.State;

/// <summary>
/// Instances in SQLite: soft-deleted rows (vm_state <c>deleted</c>), an owning project and user on each,
/// lists filtered, sorted and paged in SQL, and compare-and-set updates on the revision column.
/// </summary>
public sealed partial class SqliteInstanceStore : IInstanceStore
{
    private const string Columns =
        "id, name, image_id, flavor_id, vm_state, task_state, power_state, fault_reason, host, created_at, updated_at, launched_at, terminated_at, revision, effective_cpu, project_id, user_id";

    private readonly SqliteDatabase _database;

    internal SqliteInstanceStore(SqliteDatabase database) => _database = database;

    public Task AddAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return _database.RunAsync(
            async connection =>
            {
                using var command = Bind(Command(connection, $"""
                    INSERT INTO instances ({Columns})
                    VALUES ($id, $name, $image_id, $flavor_id, $vm_state, $task_state, $power_state, $fault_reason, $host,
                            $created_at, $updated_at, $launched_at, $terminated_at, $revision, $effective_cpu, $project_id, $user_id)
                    """), instance);
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException exception) when (SqliteDatabase.IsConstraint(exception, SqliteDatabase.SqliteConstraintPrimaryKey))
                {
                    throw VireoException.Conflict($"instance {instance.Id} already exists");
                }
            },
            cancellationToken);
    }

    public Task<Instance?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        _database.RunAsync(
            async connection =>
            {
                using var command = Command(connection, $"SELECT {Columns} FROM instances WHERE id = $id").With("$id", Id(id));
                return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
            },
            cancellationToken);

    public Task<IReadOnlyList<Instance>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _database.RunAsync(
            async connection =>
            {
                var (sql, bind) = InstanceQuerySql.Build(query, Columns);
                using var command = bind(Command(connection, sql));
                var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
                if (query.Marker is { } marker && !await MarkerListedAsync(connection, query, marker, cancellationToken).ConfigureAwait(false))
                {
                    throw InstanceQuery.MarkerNotFound(marker);
                }

                return rows;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Instance>> ListAsync(bool includeDeleted, CancellationToken cancellationToken) =>
        _database.RunAsync(
            async connection =>
            {
                using var command = Command(connection, $"""
                    SELECT {Columns} FROM instances
                    WHERE $include_deleted = 1 OR vm_state <> 'deleted'
                    ORDER BY created_at DESC, id
                    """).With("$include_deleted", includeDeleted ? 1 : 0);
                return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<Instance> UpdateAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return _database.RunAsync(
            async connection =>
            {
                using var command = Bind(Command(connection, """
                    UPDATE instances
                    SET name = $name, image_id = $image_id, flavor_id = $flavor_id, vm_state = $vm_state, task_state = $task_state,
                        power_state = $power_state, fault_reason = $fault_reason, host = $host, created_at = $created_at,
                        updated_at = $updated_at, launched_at = $launched_at, terminated_at = $terminated_at, effective_cpu = $effective_cpu,
                        project_id = $project_id, user_id = $user_id, revision = revision + 1
                    WHERE id = $id AND revision = $revision
                    """), instance);
                var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (changed == 1)
                {
                    return instance with { Revision = instance.Revision + 1 };
                }

                using var exists = Command(connection, "SELECT revision FROM instances WHERE id = $id").With("$id", Id(instance.Id));
                var stored = await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                throw stored is null
                    ? VireoException.NotFound($"instance {instance.Id} does not exist")
                    : VireoException.Conflict($"{instance.Label} was changed by another request (revision {stored}, expected {instance.Revision}); try again");
            },
            cancellationToken);
    }

    /// <summary>Whether the marker is a server of the queried list (Nova: "marker [X] not found" otherwise, also for another project's).</summary>
    private static async Task<bool> MarkerListedAsync(SqliteConnection connection, InstanceQuery query, Guid marker, CancellationToken cancellationToken)
    {
        using var command = Command(connection, """
            SELECT 1 FROM instances
            WHERE id = $marker AND vm_state <> 'deleted' AND ($project_id IS NULL OR project_id = $project_id)
            """).With("$marker", Id(marker)).With("$project_id", Nullable(query.ProjectId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static SqliteCommand Bind(SqliteCommand command, Instance instance) => command
        .With("$id", Id(instance.Id))
        .With("$name", instance.Name)
        .With("$image_id", Id(instance.ImageId))
        .With("$flavor_id", instance.FlavorId)
        .With("$vm_state", instance.VmState.ToNova())
        .With("$task_state", Nullable(instance.TaskState.ToNova()))
        .With("$power_state", (int)instance.PowerState)
        .With("$fault_reason", Nullable(instance.FaultReason))
        .With("$host", instance.Host)
        .With("$created_at", Time(instance.CreatedAt))
        .With("$updated_at", Time(instance.UpdatedAt))
        .With("$launched_at", Time(instance.LaunchedAt))
        .With("$terminated_at", Time(instance.TerminatedAt))
        .With("$revision", instance.Revision)
        .With("$effective_cpu", EffectiveCpuJson.Write(instance.EffectiveCpu))
        .With("$project_id", instance.ProjectId)
        .With("$user_id", instance.UserId);

    private static async Task<IReadOnlyList<Instance>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var instances = new List<Instance>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            instances.Add(new Instance(
                ReadId(reader, 0),
                reader.GetString(1),
                ReadId(reader, 2),
                reader.GetString(3),
                NovaNames.ParseVmState(reader.GetString(4)),
                NovaNames.ParseTaskState(ReadNullableString(reader, 5)),
                NovaNames.ParsePowerState(reader.GetInt32(6)),
                ReadNullableString(reader, 7),
                reader.GetString(8),
                ReadTime(reader, 9),
                ReadTime(reader, 10),
                ReadNullableTime(reader, 11),
                ReadNullableTime(reader, 12),
                reader.GetInt64(13),
                EffectiveCpuJson.Read(ReadNullableString(reader, 14), ReadId(reader, 0)))
            {
                ProjectId = reader.GetString(15),
                UserId = reader.GetString(16),
            });
        }

        return instances;
    }
}

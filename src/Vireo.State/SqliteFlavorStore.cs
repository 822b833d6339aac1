using Microsoft.Data.Sqlite;
using Vireo.Core;
using Vireo.Core.Ports;
using static Vireo.State.SqlValues;

namespace Vireo.State;

/// <summary>Flavors and their extra specs in SQLite.</summary>
public sealed class SqliteFlavorStore : IFlavorStore
{
    private const string Columns = "id, name, vcpus, memory_mib, root_disk_gib, ephemeral_gib, swap_mib, is_public, description";

    private readonly SqliteDatabase _database;

    internal SqliteFlavorStore(SqliteDatabase database) => _database = database;

    public async Task<Flavor?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE id = $key", id, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<Flavor?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE name = $key", name, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync(string.Empty, key: null, cancellationToken);

    public Task AddAsync(Flavor flavor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return _database.RunAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using (var command = Command(connection, $"""
                    INSERT INTO flavors ({Columns})
                    VALUES ($id, $name, $vcpus, $memory_mib, $root_disk_gib, $ephemeral_gib, $swap_mib, $is_public, $description)
                    """, transaction))
                {
                    command
                        .With("$id", flavor.Id)
                        .With("$name", flavor.Name)
                        .With("$vcpus", flavor.Vcpus)
                        .With("$memory_mib", flavor.MemoryMiB)
                        .With("$root_disk_gib", flavor.RootDiskGiB)
                        .With("$ephemeral_gib", flavor.EphemeralGiB)
                        .With("$swap_mib", flavor.SwapMiB)
                        .With("$is_public", flavor.IsPublic ? 1 : 0)
                        .With("$description", Nullable(flavor.Description));
                    try
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteDatabase.SqliteConstraint)
                    {
                        throw exception.SqliteExtendedErrorCode is SqliteDatabase.SqliteConstraintPrimaryKey or SqliteDatabase.SqliteConstraintUnique
                            ? VireoException.Conflict($"a flavor with id '{flavor.Id}' or name '{flavor.Name}' already exists; choose another")
                            : VireoException.InvalidInput($"{flavor.Label} has a value out of range ({exception.Message}); sizes must not be negative and vcpus and memory must be positive");
                    }
                }

                foreach (var (key, value) in flavor.ExtraSpecs)
                {
                    using var command = Command(connection, "INSERT INTO flavor_extra_specs (flavor_id, key, value) VALUES ($id, $key, $value)", transaction)
                        .With("$id", flavor.Id).With("$key", key).With("$value", value);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
            },
            cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.RunAsync(
            async connection =>
            {
                // Extra specs go with it (ON DELETE CASCADE).
                using var command = Command(connection, "DELETE FROM flavors WHERE id = $id").With("$id", id);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    private Task<IReadOnlyList<Flavor>> QueryAsync(string where, string? key, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<Flavor>>(
            async connection =>
            {
                var specs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
                using (var command = Command(connection, "SELECT flavor_id, key, value FROM flavor_extra_specs ORDER BY flavor_id, key"))
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var flavorId = reader.GetString(0);
                        if (!specs.TryGetValue(flavorId, out var forFlavor))
                        {
                            specs[flavorId] = forFlavor = new Dictionary<string, string>(StringComparer.Ordinal);
                        }

                        forFlavor[reader.GetString(1)] = reader.GetString(2);
                    }
                }

                // Nova orders flavors by id; ids here are short numeric strings, so order by length first.
                using var select = Command(connection, $"SELECT {Columns} FROM flavors {where} ORDER BY length(id), id");
                if (key is not null)
                {
                    select.With("$key", key);
                }

                var flavors = new List<Flavor>();
                using var rows = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = rows.GetString(0);
                    flavors.Add(new Flavor(
                        id,
                        rows.GetString(1),
                        rows.GetInt32(2),
                        rows.GetInt32(3),
                        rows.GetInt32(4),
                        rows.GetInt32(5),
                        rows.GetInt32(6),
                        specs.TryGetValue(id, out var extra) ? extra : Flavor.NoExtraSpecs,
                        rows.GetInt32(7) == 1,
                        ReadNullableString(rows, 8)));
                }

                return flavors;
            },
            cancellationToken);
}

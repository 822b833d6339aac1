using Microsoft.Data.Sqlite;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;
using static Vireo.State.SqlValues;

namespace Vireo.State;

/// <summary>Image metadata and properties in SQLite.</summary>
public sealed class SqliteImageRegistry : IImageRegistry
{
    private const string Columns =
        "id, name, status, disk_format, container_format, size_bytes, virtual_size_bytes, sha256, min_disk_gib, min_ram_mib, created_at, updated_at, md5, owner, visibility";

    private readonly SqliteDatabase _database;

    internal SqliteImageRegistry(SqliteDatabase database) => _database = database;

    public async Task<ImageRecord?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE id = $key", Id(id), cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public Task<IReadOnlyList<ImageRecord>> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync("WHERE name = $key", name, cancellationToken);

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync(string.Empty, key: null, cancellationToken);

    public Task AddAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return WriteAsync(
            image,
            $"""
            INSERT INTO images ({Columns})
            VALUES ($id, $name, $status, $disk_format, $container_format, $size_bytes, $virtual_size_bytes, $sha256,
                    $min_disk_gib, $min_ram_mib, $created_at, $updated_at, $md5, $owner, $visibility)
            """,
            cancellationToken);
    }

    public Task UpdateAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return WriteAsync(
            image,
            """
            UPDATE images
            SET name = $name, status = $status, disk_format = $disk_format, container_format = $container_format,
                size_bytes = $size_bytes, virtual_size_bytes = $virtual_size_bytes, sha256 = $sha256,
                min_disk_gib = $min_disk_gib, min_ram_mib = $min_ram_mib, created_at = $created_at, updated_at = $updated_at,
                md5 = $md5, owner = $owner, visibility = $visibility
            WHERE id = $id
            """,
            cancellationToken);
    }

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        _database.RunAsync(
            async connection =>
            {
                using var command = Command(connection, "DELETE FROM images WHERE id = $id").With("$id", Id(id));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken);

    /// <summary>Writes the row and replaces its properties in one transaction.</summary>
    private Task WriteAsync(ImageRecord image, string sql, CancellationToken cancellationToken) =>
        _database.RunAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using (var command = Command(connection, sql, transaction))
                {
                    command
                        .With("$id", Id(image.Id))
                        .With("$name", image.Name)
                        .With("$status", image.Status.ToGlance())
                        .With("$disk_format", Nullable(image.DiskFormat?.Name()))
                        .With("$container_format", Nullable(image.ContainerFormat))
                        .With("$size_bytes", Nullable(image.SizeBytes))
                        .With("$virtual_size_bytes", Nullable(image.VirtualSizeBytes))
                        .With("$sha256", Nullable(image.Sha256))
                        .With("$min_disk_gib", image.MinDiskGiB)
                        .With("$min_ram_mib", image.MinRamMiB)
                        .With("$created_at", Time(image.CreatedAt))
                        .With("$updated_at", Time(image.UpdatedAt))
                        .With("$md5", Nullable(image.Md5))
                        .With("$owner", image.Owner)
                        .With("$visibility", image.Visibility.ToGlance());
                    int changed;
                    try
                    {
                        changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException exception) when (SqliteDatabase.IsConstraint(exception, SqliteDatabase.SqliteConstraintPrimaryKey))
                    {
                        throw VireoException.Conflict($"{image.Label} already exists");
                    }

                    if (changed == 0)
                    {
                        throw VireoException.NotFound($"image {image.Id} does not exist");
                    }
                }

                using (var clear = Command(connection, "DELETE FROM image_properties WHERE image_id = $id", transaction).With("$id", Id(image.Id)))
                {
                    await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var (key, value) in image.Properties)
                {
                    using var insert = Command(connection, "INSERT INTO image_properties (image_id, key, value) VALUES ($id, $key, $value)", transaction)
                        .With("$id", Id(image.Id)).With("$key", key).With("$value", value);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
            },
            cancellationToken);

    private Task<IReadOnlyList<ImageRecord>> QueryAsync(string where, string? key, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<ImageRecord>>(
            async connection =>
            {
                // One read transaction, so the rows and their properties are one snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var select = Command(connection, $"SELECT {Columns} FROM images {where} ORDER BY created_at DESC, id", transaction);
                if (key is not null)
                {
                    select.With("$key", key);
                }

                var rows = new List<ImageRecord>();
                using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(new ImageRecord(
                            ReadId(reader, 0),
                            reader.GetString(1),
                            ImageStatusNames.ParseImageStatus(reader.GetString(2)),
                            ReadDiskFormat(reader, 3),
                            ReadNullableString(reader, 4),
                            ReadNullableLong(reader, 5),
                            ReadNullableLong(reader, 6),
                            ReadNullableString(reader, 7),
                            reader.GetInt32(8),
                            reader.GetInt32(9),
                            ImageRecord.NoProperties,
                            ReadTime(reader, 10),
                            ReadTime(reader, 11))
                        {
                            Md5 = ReadNullableString(reader, 12),
                            Owner = reader.GetString(13),
                            Visibility = ImageVisibilities.Parse(reader.GetString(14)),
                        });
                    }
                }

                var images = new List<ImageRecord>(rows.Count);
                foreach (var row in rows)
                {
                    using var properties = Command(connection, "SELECT key, value FROM image_properties WHERE image_id = $id ORDER BY key", transaction)
                        .With("$id", Id(row.Id));
                    var found = new Dictionary<string, string>(StringComparer.Ordinal);
                    using var reader = await properties.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        found[reader.GetString(0)] = reader.GetString(1);
                    }

                    images.Add(found.Count == 0 ? row : row with { Properties = found });
                }

                transaction.Commit();
                return images;
            },
            cancellationToken);

    /// <summary>The stored <c>disk_format</c> by its name, as written (<see cref="DiskFormats.Name"/>); null when unset.</summary>
    private static DiskFormat? ReadDiskFormat(SqliteDataReader reader, int ordinal) =>
        ReadNullableString(reader, ordinal) is not { } name ? null
        : DiskFormats.TryFromName(name, out var format) ? format
        : throw new VireoException(ErrorKind.Internal, $"unknown disk_format '{name}' in the images table; expected one of {string.Join(", ", DiskFormats.All.Select(f => f.Name()))}");
}

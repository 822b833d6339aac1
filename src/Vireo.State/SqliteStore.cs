using Vireo.State.Schema;

namespace Vireo.State;

/// <summary>
/// The SQLite database of one Vireo host: opens (creating when absent) the file, switches
/// it to WAL, applies the schema migrations, and offers the stores behind Core's ports.
/// Safe to share between threads and with other processes using the same file.
/// </summary>
public sealed class SqliteStore : IDisposable
{
    /// <summary>How long a write waits for another writer before failing as Unavailable.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteDatabase _database;

    private SqliteStore(SqliteDatabase database, IReadOnlyList<int> appliedMigrations, int schemaVersion)
    {
        _database = database;
        AppliedMigrations = appliedMigrations;
        SchemaVersion = schemaVersion;
        Instances = new SqliteInstanceStore(database);
        Flavors = new SqliteFlavorStore(database);
        Images = new SqliteImageRegistry(database);
    }

    public string DatabasePath => _database.Path;

    /// <summary>The migrations this open applied; empty when the schema was current.</summary>
    public IReadOnlyList<int> AppliedMigrations { get; }

    public int SchemaVersion { get; }

    /// <summary><see cref="Core.Ports.IInstanceStore"/>: instances, actions, faults.</summary>
    public SqliteInstanceStore Instances { get; }

    /// <summary><see cref="Core.Ports.IFlavorStore"/>.</summary>
    public SqliteFlavorStore Flavors { get; }

    /// <summary><see cref="Core.Ports.IImageRegistry"/> (and so <see cref="Core.Ports.IImageCatalog"/>).</summary>
    public SqliteImageRegistry Images { get; }

    /// <summary>Opens the database file at <paramref name="databasePath"/>; its directory must exist.</summary>
    /// <param name="defaultProjectId">The project that gets rows older than ownership (<c>[vireo] default_project_id</c>).</param>
    /// <exception cref="Core.VireoException">
    /// Configuration when the file cannot be opened or its schema is newer than this code;
    /// Unavailable when another process holds it locked past the busy timeout.
    /// </exception>
    public static SqliteStore Open(string databasePath, TimeSpan? busyTimeout = null, string defaultProjectId = Core.Tenancy.Owners.DefaultProjectId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultProjectId);
        var database = new SqliteDatabase(databasePath, busyTimeout ?? DefaultBusyTimeout);
        using var connection = database.Open();
        try
        {
            using (var wal = connection.CreateCommand())
            {
                // Persistent in the file; readers then never block the writer.
                wal.CommandText = "PRAGMA journal_mode = WAL";
                wal.ExecuteScalar();
            }

            var applied = Migrator.Migrate(connection, databasePath, SchemaMigrations.All, defaultProjectId);
            return new SqliteStore(database, applied, Migrator.ReadVersion(connection, transaction: null));
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            throw database.Translate(exception);
        }
    }

    /// <summary>Closes the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose() => _database.ClearPool();
}

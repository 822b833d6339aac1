using Microsoft.Data.Sqlite;
using Vireo.Core;

namespace Vireo.State;

/// <summary>
/// Opens pooled connections to one database file, each with the busy timeout, foreign keys
/// and the synchronous level set, and turns SQLite failures into <see cref="VireoException"/>s.
/// </summary>
internal sealed class SqliteDatabase
{
    // sqlite3.h result codes (https://www.sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqlitePerm = 3;
    private const int SqliteNotADb = 26;
    public const int SqliteConstraint = 19;
    public const int SqliteConstraintForeignKey = 787;
    public const int SqliteConstraintPrimaryKey = 1555;
    public const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString;

    public SqliteDatabase(string path, TimeSpan busyTimeout)
    {
        Path = path;
        BusyTimeout = busyTimeout;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
    }

    public string Path { get; }

    public TimeSpan BusyTimeout { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();

            // WAL makes NORMAL durable enough (a power cut may lose the last commits, never
            // corrupt); busy_timeout lets writers from several connections queue up.
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {(long)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw Translate(exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a fresh connection, translating SQLite failures it leaves unhandled.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        try
        {
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    public Task RunAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                await work(connection).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public VireoException Translate(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (kind, message) = exception.SqliteErrorCode switch
        {
            SqliteBusy or SqliteLocked => (ErrorKind.Unavailable, $"database '{Path}' stayed locked by another process for {BusyTimeout.TotalSeconds:0.###} s; try again"),
            SqliteCantOpen or SqlitePerm or SqliteReadOnly => (ErrorKind.Configuration, $"database '{Path}' cannot be opened for writing ({exception.Message}); check that its directory exists and is writable, or set state_path"),
            SqliteIoError or SqliteFull => (ErrorKind.Unavailable, $"database '{Path}' could not be written ({exception.Message}); check the disk"),
            SqliteCorrupt or SqliteNotADb => (ErrorKind.Failed, $"database '{Path}' is damaged or not a SQLite database ({exception.Message}); restore it from a backup"),
            _ => (ErrorKind.Internal, $"database '{Path}' failed: {exception.Message}"),
        };
        return new VireoException(kind, message, exception);
    }

    public static bool IsConstraint(SqliteException exception, int extendedCode) =>
        exception.SqliteErrorCode == SqliteConstraint && exception.SqliteExtendedErrorCode == extendedCode;
}

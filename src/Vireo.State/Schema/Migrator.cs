using System.Globalization;
using Microsoft.Data.Sqlite;
using Vireo.Core;

namespace Vireo.State.Schema;

/// <summary>Brings a database to <see cref="SchemaMigrations.LatestVersion"/>.</summary>
internal static class Migrator
{
    /// <summary>
    /// Applies the missing migrations, each in an immediate transaction that re-reads the
    /// version first, so two processes opening one new database apply each step once.
    /// </summary>
    /// <returns>The versions applied now (empty when the schema was current).</returns>
    /// <param name="defaultProjectId">The value of <c>$default_project</c> in a migration's SQL: who owns the rows written before ownership.</param>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection, string databasePath, IReadOnlyList<SchemaMigration> migrations, string defaultProjectId)
    {
        var latest = migrations[^1].Version;
        var found = ReadVersion(connection, transaction: null);
        if (found > latest)
        {
            throw new VireoException(
                ErrorKind.Configuration,
                $"database '{databasePath}' has schema version {found} but this Vireo knows only up to {latest}; run a newer Vireo or point state_path elsewhere");
        }

        var applied = new List<int>();
        foreach (var migration in migrations.Where(migration => migration.Version > found))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = ReadVersion(connection, transaction);
            if (current >= migration.Version)
            {
                continue;
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = migration.Sql;
                if (migration.Sql.Contains("$default_project", StringComparison.Ordinal))
                {
                    command.Parameters.AddWithValue("$default_project", defaultProjectId);
                }

                command.ExecuteNonQuery();
            }

            using (var command = connection.CreateCommand())
            {
                // PRAGMA takes no parameters; the version is an int from the list above.
                command.Transaction = transaction;
                command.CommandText = "PRAGMA user_version = " + migration.Version.ToString(CultureInfo.InvariantCulture);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            applied.Add(migration.Version);
        }

        return applied;
    }

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

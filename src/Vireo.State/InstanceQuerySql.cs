using Microsoft.Data.Sqlite;
using Vireo.Core.Ports;
using static Vireo.State.SqlValues;

namespace Vireo.State;

/// <summary>
/// An <see cref="InstanceQuery"/> as one SELECT: project filter, Nova's order (the sort column, then id, in one
/// direction), keyset paging after the marker's row, LIMIT. Column names come from the fixed table below, never
/// from the request.
/// </summary>
internal static class InstanceQuerySql
{
    private static readonly Dictionary<InstanceSortKey, string> SortColumns = new()
    {
        [InstanceSortKey.CreatedAt] = "created_at",
        [InstanceSortKey.UpdatedAt] = "updated_at",
        [InstanceSortKey.Name] = "name",
        [InstanceSortKey.Id] = "id",
        [InstanceSortKey.VmState] = "vm_state",
        [InstanceSortKey.Host] = "host",
    };

    public static (string Sql, Func<SqliteCommand, SqliteCommand> Bind) Build(InstanceQuery query, string columns)
    {
        var column = SortColumns[query.SortKey];
        var direction = query.Descending ? "DESC" : "ASC";
        var after = query.Descending ? "<" : ">";
        var marker = query.Marker is null
            ? string.Empty
            : $"""
              AND EXISTS (SELECT 1 FROM instances m WHERE m.id = $marker)
              AND ({column} {after} (SELECT m.{column} FROM instances m WHERE m.id = $marker)
                   OR ({column} = (SELECT m.{column} FROM instances m WHERE m.id = $marker) AND id {after} $marker))
              """;
        var sql = $"""
            SELECT {columns} FROM instances
            WHERE vm_state <> 'deleted' AND ($project_id IS NULL OR project_id = $project_id)
            {marker}
            ORDER BY {column} {direction}, id {direction}
            LIMIT $limit
            """;
        return (sql, command => command
            .With("$project_id", Nullable(query.ProjectId))
            .With("$marker", query.Marker is { } id ? Id(id) : DBNull.Value)
            .With("$limit", query.Limit is { } limit ? (long)limit : -1L));
    }
}

using Microsoft.Data.Sqlite;
using Vireo.Core;
using static Vireo.State.SqlValues;

namespace Vireo.State;

public sealed partial class SqliteInstanceStore
{
    public Task AddActionAsync(InstanceAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _database.RunAsync(
            async connection =>
            {
                using var command = Command(connection, """
                    INSERT INTO instance_actions (instance_id, request_id, action, started_at, finished_at, result, message)
                    VALUES ($instance_id, $request_id, $action, $started_at, $finished_at, $result, $message)
                    """)
                    .With("$instance_id", Id(action.InstanceId))
                    .With("$request_id", action.RequestId)
                    .With("$action", action.Action)
                    .With("$started_at", Time(action.StartedAt))
                    .With("$finished_at", Time(action.FinishedAt))
                    .With("$result", Nullable(action.Result?.ToString()))
                    .With("$message", Nullable(action.Message));
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException exception) when (SqliteDatabase.IsConstraint(exception, SqliteDatabase.SqliteConstraintForeignKey))
                {
                    throw VireoException.NotFound($"instance {action.InstanceId} does not exist; an action needs its instance");
                }
                catch (SqliteException exception) when (SqliteDatabase.IsConstraint(exception, SqliteDatabase.SqliteConstraintUnique))
                {
                    throw VireoException.Conflict($"request {action.RequestId} already has an action on instance {action.InstanceId}");
                }
            },
            cancellationToken);
    }

    public Task FinishActionAsync(Guid instanceId, string requestId, DateTimeOffset finishedAt, ActionResult result, string? message, CancellationToken cancellationToken) =>
        _database.RunAsync(
            async connection =>
            {
                using var command = Command(connection, """
                    UPDATE instance_actions SET finished_at = $finished_at, result = $result, message = $message
                    WHERE instance_id = $instance_id AND request_id = $request_id
                    """)
                    .With("$instance_id", Id(instanceId))
                    .With("$request_id", requestId)
                    .With("$finished_at", Time(finishedAt))
                    .With("$result", result.ToString())
                    .With("$message", Nullable(message));
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw VireoException.NotFound($"instance {instanceId} has no action for request {requestId}");
                }
            },
            cancellationToken);

    public Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<InstanceAction>>(
            async connection =>
            {
                using var command = Command(connection, """
                    SELECT instance_id, request_id, action, started_at, finished_at, result, message
                    FROM instance_actions WHERE instance_id = $instance_id ORDER BY started_at, id
                    """).With("$instance_id", Id(instanceId));
                var actions = new List<InstanceAction>();
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    actions.Add(new InstanceAction(
                        ReadId(reader, 0),
                        reader.GetString(1),
                        reader.GetString(2),
                        ReadTime(reader, 3),
                        ReadNullableTime(reader, 4),
                        ReadNullableString(reader, 5) is { } result ? Enum.Parse<ActionResult>(result) : null,
                        ReadNullableString(reader, 6)));
                }

                return actions;
            },
            cancellationToken);

    public Task AddFaultAsync(InstanceFault fault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return _database.RunAsync(
            async connection =>
            {
                using var command = Command(connection, """
                    INSERT INTO instance_faults (instance_id, code, message, details, created_at)
                    VALUES ($instance_id, $code, $message, $details, $created_at)
                    """)
                    .With("$instance_id", Id(fault.InstanceId))
                    .With("$code", fault.Code)
                    .With("$message", fault.Message)
                    .With("$details", Nullable(fault.Details))
                    .With("$created_at", Time(fault.CreatedAt));
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException exception) when (SqliteDatabase.IsConstraint(exception, SqliteDatabase.SqliteConstraintForeignKey))
                {
                    throw VireoException.NotFound($"instance {fault.InstanceId} does not exist; a fault needs its instance");
                }
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<InstanceFault>> ListFaultsAsync(Guid instanceId, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<InstanceFault>>(
            async connection =>
            {
                using var command = Command(connection, """
                    SELECT instance_id, code, message, created_at, details
                    FROM instance_faults WHERE instance_id = $instance_id ORDER BY created_at DESC, id DESC
                    """).With("$instance_id", Id(instanceId));
                var faults = new List<InstanceFault>();
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    faults.Add(new InstanceFault(ReadId(reader, 0), reader.GetInt32(1), reader.GetString(2), ReadTime(reader, 3), ReadNullableString(reader, 4)));
                }

                return faults;
            },
            cancellationToken);
}

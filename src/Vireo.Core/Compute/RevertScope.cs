using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core.Diagnostics;

namespace Vireo.Core.Compute;

/// <summary>A compensation that failed while undoing a half-done operation.</summary>
public sealed record RevertFailure(string Description, Exception Exception);

/// <summary>
/// Collects the undo of each completed step of a multi-step mutation (Incus' <c>revert</c>).
/// On failure <see cref="RevertAsync"/> runs them newest first; a compensation that fails
/// is recorded and the rest still run, so the original error is never hidden. After
/// <see cref="Commit"/> nothing is undone. Disposing an uncommitted scope reverts it. Each failed
/// undo is also logged (event 1208), since what it leaves behind needs an operator or a later delete.
/// </summary>
public sealed class RevertScope(ILogger? logger = null) : IAsyncDisposable
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly List<(string Description, Func<Task> Undo)> _steps = [];
    private readonly List<RevertFailure> _failures = [];
    private bool _done;

    /// <summary>What could not be undone; empty when everything was.</summary>
    public IReadOnlyList<RevertFailure> Failures => _failures;

    public int Count => _steps.Count;

    /// <summary>Registers the undo of a step that has just succeeded.</summary>
    public void Add(string description, Func<Task> undo)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(undo);
        ObjectDisposedException.ThrowIf(_done, this);
        _steps.Add((description, undo));
    }

    /// <summary>The operation succeeded: keep everything.</summary>
    public void Commit()
    {
        _steps.Clear();
        _done = true;
    }

    /// <summary>Runs every registered undo, newest first, and returns the ones that failed.</summary>
    public async Task<IReadOnlyList<RevertFailure>> RevertAsync()
    {
        if (_done)
        {
            return _failures;
        }

        _done = true;
        for (var index = _steps.Count - 1; index >= 0; index--)
        {
            var (description, undo) = _steps[index];
            try
            {
                await undo().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                _failures.Add(new RevertFailure(description, exception));
                CoreLog.UndoFailed(_logger, description, exception.Message, exception);
            }
        }

        _steps.Clear();
        return _failures;
    }

    public async ValueTask DisposeAsync() => await RevertAsync().ConfigureAwait(false);
}

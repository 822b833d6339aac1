using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vireo.Core.Diagnostics;

namespace Vireo.Core.Compute;

/// <summary>
/// The operations this process is running in the background, per instance, so a delete can
/// cancel the build it takes over and a second delete can join the first, and so the host
/// can wait for them when it stops. Every operation it runs is counted here, once, when it ends
/// (<see cref="VireoMetrics.RecordOperation"/>, success or error).
/// </summary>
internal sealed class RunningOperations(ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<Running>> _byInstance = [];

    /// <summary>Runs <paramref name="run"/> on the thread pool and tracks it until it ends.</summary>
    /// <param name="operation">Null for a create.</param>
    public Task<Instance> Start(Guid instanceId, ComputeOperation? operation, Func<CancellationToken, Task<Instance>> run)
    {
        var completion = new TaskCompletionSource<Instance>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new Running(operation, new CancellationTokenSource(), completion.Task);
        lock (_lock)
        {
            if (!_byInstance.TryGetValue(instanceId, out var list))
            {
                list = [];
                _byInstance.Add(instanceId, list);
            }

            list.Add(running);
        }

        var started = Stopwatch.GetTimestamp();
        _ = Task.Run(async () =>
        {
            Instance? result = null;
            Exception? failure = null;
            try
            {
                result = await run(running.Cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Not swallowed: the caller gets it through the completion below.
                failure = exception;
            }
            finally
            {
                Remove(instanceId, running);
                running.Cancellation.Dispose();
            }

            Record(OperationMetering.Kind(operation), instanceId, failure, Stopwatch.GetElapsedTime(started));

            if (failure is null)
            {
                completion.SetResult(result!);
            }
            else
            {
                completion.SetException(failure);
            }
        });
        return completion.Task;
    }

    /// <summary>The completion of a delete of this instance that is running, if any.</summary>
    public Task<Instance>? RunningDelete(Guid instanceId)
    {
        lock (_lock)
        {
            return _byInstance.TryGetValue(instanceId, out var list)
                ? list.FirstOrDefault(running => running.Operation == ComputeOperation.Delete)?.Completion
                : null;
        }
    }

    /// <summary>Asks every running operation on the instance except deletes to stop.</summary>
    public void CancelAllBut(Guid instanceId, ComputeOperation keep)
    {
        List<CancellationTokenSource> toCancel;
        lock (_lock)
        {
            toCancel = _byInstance.TryGetValue(instanceId, out var list)
                ? [.. list.Where(running => running.Operation != keep).Select(running => running.Cancellation)]
                : [];
        }

        // Cancelled outside the lock: cancellation callbacks run synchronously.
        foreach (var source in toCancel)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished in the meantime.
                CoreLog.CancelAfterEnd(logger, instanceId);
            }
        }
    }

    /// <summary>Completes when every operation running now has ended, however it ended.</summary>
    public Task WhenIdleAsync()
    {
        Task[] tasks;
        lock (_lock)
        {
            tasks = [.. _byInstance.Values.SelectMany(list => list).Select(running => running.Completion)];
        }

        return Task.WhenAll(tasks.Select(task => task.ContinueWith(static _ => { }, TaskScheduler.Default)));
    }

    private void Record(string kind, Guid instanceId, Exception? failure, TimeSpan elapsed)
    {
        var result = failure is null ? OperationMetering.Success : OperationMetering.Error;
        VireoMetrics.RecordOperation(kind, result, elapsed);
        if (failure is null)
        {
            CoreLog.OperationEnded(logger, kind, instanceId, result, (long)elapsed.TotalMilliseconds);
        }
        else
        {
            CoreLog.OperationFailed(logger, kind, instanceId, (long)elapsed.TotalMilliseconds, failure.Message);
        }
    }

    private void Remove(Guid instanceId, Running running)
    {
        lock (_lock)
        {
            if (_byInstance.TryGetValue(instanceId, out var list) && list.Remove(running) && list.Count == 0)
            {
                _byInstance.Remove(instanceId);
            }
        }
    }

    private sealed record Running(ComputeOperation? Operation, CancellationTokenSource Cancellation, Task<Instance> Completion);
}

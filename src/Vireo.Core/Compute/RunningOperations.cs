namespace Vireo.Core.Compute;

/// <summary>
/// The operations this process is running in the background, per instance, so a delete can
/// cancel the build it takes over and a second delete can join the first, and so the host
/// can wait for them when it stops.
/// </summary>
internal sealed class RunningOperations
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
                failure = exception;
            }
            finally
            {
                Remove(instanceId, running);
                running.Cancellation.Dispose();
            }

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

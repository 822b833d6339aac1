namespace Vireo.Core.Compute;

/// <summary>
/// Whether the service accepts writes yet: start-up reconciliation takes every build and task
/// it finds as interrupted, so a create or stop accepted before it ends could be undone by
/// it. The compute worker marks it ready once reconciliation has run; the API refuses writes
/// until then (503 with Retry-After) and serves reads.
/// </summary>
public sealed class ServiceReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A readiness that is already ready (for hosts without start-up reconciliation).</summary>
    public static ServiceReadiness Ready()
    {
        var readiness = new ServiceReadiness();
        readiness.MarkReady();
        return readiness;
    }

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Completes when the service accepts writes.</summary>
    public Task WhenReady => _ready.Task;

    public void MarkReady() => _ready.TrySetResult();
}

using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// One libvirt connection as the <see cref="LibvirtConnectionManager"/> hands it out. When the
/// manager stops using it (libvirt closed it, a call found it dead, the manager was disposed),
/// <see cref="Lost"/> completes at once; the attached resources and then the connection are disposed
/// on a thread of their own (<see cref="Released"/>), since closing a connection to a hung libvirtd
/// blocks like any other call and must not stall the caller, the event loop or a request.
/// </summary>
public sealed class ConnectionLease
{
    private readonly TaskCompletionSource lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private readonly List<IDisposable> attachments = [];
    private readonly ManualResetEventSlim idle = new(initialState: true);
    private bool retired;
    private int callsInside;

    internal ConnectionLease(Connection connection, long generation)
    {
        Connection = connection;
        Generation = generation;
    }

    public Connection Connection { get; }

    /// <summary>1 for the manager's first connection, incremented on every reconnect.</summary>
    public long Generation { get; }

    /// <summary>Completes when this connection is no longer used; callers holding state tied to it (event subscriptions) start over.</summary>
    public Task Lost => lost.Task;

    public bool IsLost => Lost.IsCompleted;

    /// <summary>Completes once a retired lease's resources and connection have been disposed (after libvirt answered, if it hangs).</summary>
    public Task Released => released.Task;

    /// <summary>
    /// Ties a resource registered on this connection (an event subscription) to its lifetime: it is
    /// disposed before the connection, so libvirt can still deregister it. Disposed at once if the lease is already lost.
    /// </summary>
    public void Attach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (gate)
        {
            if (!retired)
            {
                attachments.Add(resource);
                return;
            }
        }

        _ = DisposeQuietly(resource);
    }

    /// <summary>
    /// Disposes a resource attached earlier, now, while the connection is still open: libvirt tracks
    /// one lifecycle callback per connection, so the next subscription needs this one gone first.
    /// A resource the retirement already took is left to it (no round trip on a dead connection).
    /// </summary>
    public void Detach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        bool mine;
        lock (gate)
        {
            mine = attachments.Remove(resource);
        }

        if (mine)
        {
            _ = DisposeQuietly(resource);
        }
    }

    /// <param name="suspect">
    /// The connection is dead or hung: no further round trip is made on it (event subscriptions are
    /// abandoned, not deregistered), since each would block or race the close; the connection itself
    /// is closed once the calls still inside it have returned.
    /// </param>
    /// <summary>A native call on this connection starts (the manager counts them, see <see cref="Retire"/>).</summary>
    internal void Enter()
    {
        lock (gate)
        {
            if (++callsInside == 1)
            {
                idle.Reset();
            }
        }
    }

    /// <summary>A native call on this connection returned.</summary>
    internal void Exit()
    {
        lock (gate)
        {
            if (--callsInside == 0)
            {
                idle.Set();
            }
        }
    }

    internal bool Retire(bool suspect = false)
    {
        IDisposable[] toDispose;
        lock (gate)
        {
            if (retired)
            {
                return false;
            }

            retired = true;
            toDispose = [.. attachments];
            attachments.Clear();
        }

        lost.TrySetResult();
        OffThread(() =>
        {
            if (suspect)
            {
                // libvirt's client crashes when a round trip (deregistering, closing) starts while a
                // call stuck on a hung daemon is still inside it: wait until those returned (the daemon
                // answered, or keepalive closed the connection), then release.
                idle.Wait();
            }

            foreach (var resource in toDispose)
            {
                if (suspect && resource is LifecycleSubscription subscription)
                {
                    subscription.Abandon();
                }
                else
                {
                    _ = DisposeQuietly(resource);
                }
            }

            _ = DisposeQuietly(Connection);
            released.TrySetResult();
        });
        return true;
    }

    private static void OffThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    /// <summary>False when there was nothing left to free: the outcome is the same, the resource is gone.</summary>
    private static bool DisposeQuietly(IDisposable resource)
    {
        try
        {
            resource.Dispose();
            return true;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or LibvirtException)
        {
            // Already released (closed by a test or by libvirt), or deregistering from a dead connection
            // failed: the resources go with the connection.
            return false;
        }
    }
}

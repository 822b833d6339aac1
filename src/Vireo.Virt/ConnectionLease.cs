using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// One libvirt connection as the <see cref="LibvirtConnectionManager"/> hands it out. When the
/// manager stops using it (libvirt closed it, a call found it dead, the manager was disposed),
/// <see cref="Lost"/> completes, the attached resources are disposed and then the connection.
/// </summary>
public sealed class ConnectionLease
{
    private readonly TaskCompletionSource lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private readonly List<IDisposable> attachments = [];
    private bool retired;

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

    /// <summary>Disposes a resource attached earlier, now, while the connection is still open.</summary>
    public void Detach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (gate)
        {
            attachments.Remove(resource);
        }

        _ = DisposeQuietly(resource);
    }

    internal bool Retire()
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
        foreach (var resource in toDispose)
        {
            _ = DisposeQuietly(resource);
        }

        DisposeQuietly(Connection);
        return true;
    }

    /// <summary>False when there was nothing left to free: the outcome is the same, the resource is gone.</summary>
    private static bool DisposeQuietly(IDisposable resource)
    {
        try
        {
            resource.Dispose();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // The connection underneath was already released (closed by a test or by libvirt); nothing left to free.
            return false;
        }
        catch (LibvirtException)
        {
            // Deregistering from a dead connection fails; the resources go with the connection.
            return false;
        }
    }
}

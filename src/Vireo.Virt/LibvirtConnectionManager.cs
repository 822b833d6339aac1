using Polly;
using Polly.Retry;
using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// Holds one libvirt connection for the process: opened on first use, reused while alive, replaced
/// on the next use once it died (libvirt's close callback fired, <c>virConnectIsAlive</c> says no, or
/// a call failed with a connection error). Opening retries a few times with a short backoff before
/// reporting libvirt <see cref="ErrorKind.Unavailable"/>. libvirt calls block, so every call runs on
/// the thread pool, never on the caller's thread.
/// </summary>
public sealed class LibvirtConnectionManager : IAsyncDisposable, IDisposable
{
    private readonly ConnectionOptions options;
    private readonly Func<string, ConnectionOptions, Connection> open;
    private readonly ResiliencePipeline connectPipeline;
    private readonly SemaphoreSlim gate = new(1, 1);
    private ConnectionLease? current;
    private long generation;
    private bool disposed;

    public LibvirtConnectionManager(string uri, ConnectionOptions? options = null, TimeProvider? timeProvider = null)
        : this(uri, options, timeProvider, Connection.Open)
    {
    }

    internal LibvirtConnectionManager(string uri, ConnectionOptions? options, TimeProvider? timeProvider, Func<string, ConnectionOptions, Connection> open)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        Uri = uri;
        this.options = options ?? ConnectionOptions.Default;
        this.open = open;
        connectPipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<LibvirtConnectionException>(),
                MaxRetryAttempts = ConnectRetries,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
            })
            .Build();
    }

    /// <summary>Attempts after the first failed open: 200 ms, 400 ms, 800 ms apart, so a caller waits about 1.5 s for a daemon that is restarting.</summary>
    public const int ConnectRetries = 3;

    public string Uri { get; }

    /// <summary>How many connections have been opened so far (1 after the first use; each reconnect adds one).</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>The open connection when it is alive, otherwise a new one.</summary>
    /// <exception cref="VireoException">Unavailable when libvirt cannot be reached.</exception>
    public async Task<ConnectionLease> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var lease = Volatile.Read(ref current);
        if (lease is not null && IsHealthy(lease))
        {
            return lease;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            lease = current;
            if (lease is not null)
            {
                if (IsHealthy(lease))
                {
                    return lease;
                }

                Retire(lease);
            }

            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            lease = new ConnectionLease(connection, Interlocked.Increment(ref generation));
            var opened = lease;
            _ = connection.Closed.ContinueWith(_ => Retire(opened), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Volatile.Write(ref current, lease);
            return lease;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs one blocking libvirt call on the thread pool against a live connection.</summary>
    /// <param name="action">What the call does, completing "libvirt refused to …", used in the error message.</param>
    /// <exception cref="VireoException">
    /// Unavailable when the connection is or goes down (it is then replaced on the next call); Failed
    /// (or NotFound/Conflict) with libvirt's message when libvirt refused.
    /// </exception>
    public Task<T> RunAsync<T>(string action, Func<Connection, T> call, CancellationToken cancellationToken) =>
        RunOnLeaseAsync(action, lease => call(lease.Connection), cancellationToken);

    public Task RunAsync(string action, Action<Connection> call, CancellationToken cancellationToken) =>
        RunOnLeaseAsync(action, lease =>
        {
            call(lease.Connection);
            return true;
        }, cancellationToken);

    /// <summary>As <see cref="RunAsync{T}(string, Func{Connection, T}, CancellationToken)"/>, for calls that tie resources to the connection (<see cref="ConnectionLease.Attach"/>).</summary>
    public async Task<T> RunOnLeaseAsync<T>(string action, Func<ConnectionLease, T> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var lease = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => call(lease), cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtConnectionException e)
        {
            Retire(lease);
            throw LibvirtErrors.Unreachable(Uri, e.Message, e);
        }
        catch (ObjectDisposedException e) when (!disposed)
        {
            // The Connection was disposed under us (retired by another caller, or closed by a test).
            Retire(lease);
            throw LibvirtErrors.Unreachable(Uri, "the connection was closed while in use", e);
        }
        catch (LibvirtException e)
        {
            throw LibvirtErrors.Refused(action, e);
        }
    }

    /// <summary>Stops using the current connection, as if libvirt had closed it; the next call reconnects.</summary>
    public void DropConnection()
    {
        if (Volatile.Read(ref current) is { } lease)
        {
            Retire(lease);
        }
    }

    /// <summary>The current lease without checking it, for tests that break the connection underneath.</summary>
    internal ConnectionLease? CurrentLease => Volatile.Read(ref current);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        disposed = true;
        DropConnection();
    }

    private static bool IsHealthy(ConnectionLease lease)
    {
        if (lease.IsLost || lease.Connection.Closed.IsCompleted)
        {
            return false;
        }

        try
        {
            // virConnectIsAlive answers from the client's own state, without a round trip to the daemon.
            return lease.Connection.IsAlive;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (LibvirtException)
        {
            return false;
        }
    }

    private void Retire(ConnectionLease lease)
    {
        Interlocked.CompareExchange(ref current, null, lease);
        lease.Retire();
    }

    private async Task<Connection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await connectPipeline.ExecuteAsync(
                async token => await Task.Run(() => open(Uri, options), token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e)
        {
            throw LibvirtErrors.Unreachable(Uri, LibvirtErrors.ReasonOf(e, Uri), e);
        }
        catch (DllNotFoundException e)
        {
            throw LibvirtErrors.Unreachable(Uri, $"the libvirt client library is not installed: {e.Message}", e);
        }
    }
}

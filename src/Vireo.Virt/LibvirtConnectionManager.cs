using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Vireo.Core;
using Vireo.Core.Diagnostics;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// Holds one libvirt connection for the process: opened on first use, reused while alive, replaced
/// on the next use once it died (libvirt's close callback fired, keepalive gave up, <c>virConnectIsAlive</c>
/// says no, a call failed with a connection error, or a call did not return in time).
/// <para>
/// libvirt calls block and cannot be cancelled, so every native call (the open included) runs on its
/// own thread inside a bulkhead of <see cref="LibvirtLimits.MaxConcurrentCalls"/> slots, and every
/// caller waits with a deadline (<see cref="LibvirtLimits"/>): a hung libvirtd costs at most that many
/// stuck threads and each request gets <see cref="ErrorKind.Unavailable"/> within seconds. A stuck
/// thread keeps its slot until libvirt returns. Only one open runs at a time; callers wait for it
/// with their deadline, and an open that finishes after they gave up serves the next caller.
/// No lock is held across a wait.
/// </para>
/// </summary>
public sealed partial class LibvirtConnectionManager : IAsyncDisposable, IDisposable
{
    private readonly ConnectionOptions options;
    private readonly Func<string, ConnectionOptions, Connection> open;
    private readonly ResiliencePipeline connectPipeline;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim slots;
    private readonly Lock sync = new();
    private readonly CancellationTokenSource disposing = new();
    private ConnectionLease? current;
    private Task<ConnectionLease>? opening;
    private long generation;
    private int callsInside;
    private volatile bool disposed;

    public LibvirtConnectionManager(string uri, ConnectionOptions? options = null, TimeProvider? timeProvider = null, LibvirtLimits? limits = null, ILogger? logger = null)
        : this(uri, options, timeProvider, Connection.Open, limits, logger)
    {
    }

    internal LibvirtConnectionManager(
        string uri, ConnectionOptions? options, TimeProvider? timeProvider, Func<string, ConnectionOptions, Connection> open,
        LibvirtLimits? limits = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        Uri = uri;
        this.options = options ?? ConnectionOptions.Default;
        this.open = open;
        Limits = limits ?? LibvirtLimits.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Limits.MaxConcurrentCalls, 1, nameof(limits));
        slots = new SemaphoreSlim(Limits.MaxConcurrentCalls, Limits.MaxConcurrentCalls);
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        connectPipeline = new ResiliencePipelineBuilder { TimeProvider = time }
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

    public LibvirtLimits Limits { get; }

    /// <summary>How many connections have been opened so far (1 after the first use; each reconnect adds one).</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>Threads inside libvirt now (returned or not: a call that timed out stays counted until libvirt returns).</summary>
    public int CallsInside => Volatile.Read(ref callsInside);

    /// <summary>The open connection when it is alive, otherwise a new one, waiting at most <see cref="LibvirtLimits.OpenTimeout"/>.</summary>
    /// <exception cref="VireoException">Unavailable when libvirt cannot be reached or does not answer in time.</exception>
    public Task<ConnectionLease> AcquireAsync(CancellationToken cancellationToken) =>
        AcquireAsync(new Deadline(time, Limits.OpenTimeout), cancellationToken);

    /// <summary>Runs one blocking libvirt call against a live connection, within <see cref="LibvirtLimits.CallTimeout"/>.</summary>
    /// <param name="action">What the call does, completing "libvirt refused to …", used in the error message.</param>
    /// <exception cref="VireoException">
    /// Unavailable when the connection is or goes down, or libvirt does not answer in time (it is then
    /// replaced on the next call); Failed (or NotFound/Conflict) with libvirt's message when libvirt refused.
    /// </exception>
    public Task<T> RunAsync<T>(string action, Func<Connection, T> call, CancellationToken cancellationToken) =>
        RunOnLeaseAsync(action, Limits.CallTimeout, lease => call(lease.Connection), cancellationToken);

    /// <summary>As <see cref="RunAsync{T}(string, Func{Connection, T}, CancellationToken)"/> with its own call timeout (e.g. <see cref="LibvirtLimits.SlowCallTimeout"/>).</summary>
    public Task<T> RunAsync<T>(string action, TimeSpan timeout, Func<Connection, T> call, CancellationToken cancellationToken) =>
        RunOnLeaseAsync(action, timeout, lease => call(lease.Connection), cancellationToken);

    public Task RunAsync(string action, Action<Connection> call, CancellationToken cancellationToken) =>
        RunAsync(action, Limits.CallTimeout, call, cancellationToken);

    public Task RunAsync(string action, TimeSpan timeout, Action<Connection> call, CancellationToken cancellationToken) =>
        RunOnLeaseAsync(action, timeout, lease =>
        {
            call(lease.Connection);
            return true;
        }, cancellationToken);

    /// <summary>As <see cref="RunAsync{T}(string, Func{Connection, T}, CancellationToken)"/>, for calls that tie resources to the connection (<see cref="ConnectionLease.Attach"/>).</summary>
    public Task<T> RunOnLeaseAsync<T>(string action, Func<ConnectionLease, T> call, CancellationToken cancellationToken) =>
        RunOnLeaseAsync(action, Limits.CallTimeout, call, cancellationToken);

    /// <summary>
    /// The whole call (getting a connection, a slot and the answer) ends within <see cref="LibvirtLimits.SlotWait"/>
    /// plus <paramref name="timeout"/>, whatever libvirt does.
    /// </summary>
    public async Task<T> RunOnLeaseAsync<T>(string action, TimeSpan timeout, Func<ConnectionLease, T> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var deadline = new Deadline(time, Limits.SlotWait + timeout);
        var lease = await AcquireAsync(deadline, cancellationToken).ConfigureAwait(false);
        try
        {
            return await InvokeAsync(action, () => call(lease), timeout, lease, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtConnectionException e)
        {
            Retire(lease, e.Message);
            throw LibvirtErrors.Unreachable(Uri, e.Message, e);
        }
        catch (ObjectDisposedException e) when (!disposed)
        {
            // The Connection was disposed under us (retired by another caller, or closed by a test).
            Retire(lease, "the connection was closed while in use");
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
            Retire(lease, "dropped on request", suspect: false);
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
        if (disposed)
        {
            return;
        }

        disposed = true;
        disposing.Cancel();
        DropConnection();
    }

    private async Task<ConnectionLease> AcquireAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var lease = Volatile.Read(ref current);
        if (lease is not null)
        {
            if (IsHealthy(lease))
            {
                return lease;
            }

            Retire(lease, "libvirt reports it closed");
        }

        Task<ConnectionLease> pending;
        TaskCompletionSource<ConnectionLease>? mine = null;
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (current is { } installed)
            {
                // Opened by another caller meanwhile.
                return installed;
            }

            if (opening is null)
            {
                mine = new TaskCompletionSource<ConnectionLease>(TaskCreationOptions.RunContinuationsAsynchronously);
                opening = mine.Task;
            }

            pending = opening;
        }

        if (mine is not null)
        {
            _ = Task.Run(() => OpenAndInstallAsync(mine), CancellationToken.None);
        }

        var wait = deadline.Bounded(Limits.OpenTimeout);
        try
        {
            return await pending.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogOpenTimedOut(Uri, wait.TotalSeconds);
            throw LibvirtErrors.NoAnswerToOpen(Uri, wait);
        }
    }

    /// <summary>The single open in flight: its result (or failure) goes to every waiter, and a late success serves later callers.</summary>
    private async Task OpenAndInstallAsync(TaskCompletionSource<ConnectionLease> result)
    {
        try
        {
            var connection = await OpenAsync(disposing.Token).ConfigureAwait(false);
            ConnectionLease lease;
            bool keep;
            lock (sync)
            {
                opening = null;
                keep = !disposed;
                lease = new ConnectionLease(connection, Interlocked.Increment(ref generation));
                if (keep)
                {
                    current = lease;
                }
            }

            if (!keep)
            {
                lease.Retire();
                result.TrySetException(new ObjectDisposedException(nameof(LibvirtConnectionManager)));
                return;
            }

            _ = connection.Closed.ContinueWith(
                closed => Retire(lease, $"libvirt closed it ({closed.Result})"),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (lease.Generation == 1)
            {
                LogOpened(Uri, connection.KeepAliveEnabled);
            }
            else
            {
                VireoMetrics.LibvirtReconnects.Add(1);
                LogReconnected(Uri, lease.Generation);
            }

            result.TrySetResult(lease);
        }
        catch (Exception e)
        {
            lock (sync)
            {
                opening = null;
            }

            if (e is VireoException vireo)
            {
                LogOpenFailed(vireo.Message);
            }

            result.TrySetException(e);
        }
    }

    private async Task<Connection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            // No timeout here: the open cannot be cancelled, so callers time out instead (AcquireAsync)
            // and the thread keeps its slot until libvirt answers or the connection attempt fails.
            return await connectPipeline.ExecuteAsync(
                async token => await InvokeAsync("open a connection", () => open(Uri, options), timeout: null, lease: null, deadline: null, token).ConfigureAwait(false),
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

    /// <summary>
    /// One native call on its own thread (never the pool's: a stuck call must not starve the
    /// threads serving requests), inside the bulkhead. On timeout the caller is answered, the
    /// connection retired, and the thread keeps its slot until libvirt returns.
    /// </summary>
    private async Task<T> InvokeAsync<T>(string action, Func<T> call, TimeSpan? timeout, ConnectionLease? lease, Deadline? deadline, CancellationToken cancellationToken)
    {
        var slotWait = deadline?.Bounded(Limits.SlotWait) ?? Limits.SlotWait;
        if (!await slots.WaitAsync(slotWait, cancellationToken).ConfigureAwait(false))
        {
            LogBulkheadFull(Uri, Limits.MaxConcurrentCalls, slotWait.TotalSeconds, action);
            throw LibvirtErrors.NoFreeSlot(Uri, slotWait, Limits.MaxConcurrentCalls, action);
        }

        Task<T> work;
        Interlocked.Increment(ref callsInside);
        lease?.Enter();
        try
        {
            work = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        return call();
                    }
                    finally
                    {
                        lease?.Exit();
                        Interlocked.Decrement(ref callsInside);
                        slots.Release();
                    }
                },
                CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        }
        catch (Exception)
        {
            lease?.Exit();
            Interlocked.Decrement(ref callsInside);
            slots.Release();
            throw;
        }

        if (timeout is not { } limit)
        {
            return await work.ConfigureAwait(false);
        }

        var wait = deadline?.Bounded(limit, MinimumCallTime) ?? limit;
        try
        {
            return await work.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abandon(work, action);
            LogCallTimedOut(Uri, action, wait.TotalSeconds);
            if (lease is not null)
            {
                Retire(lease, $"'{action}' did not return within {wait.TotalSeconds:0.#} s");
            }

            throw LibvirtErrors.NoAnswer(Uri, wait, action);
        }
        catch (OperationCanceledException) when (!work.IsCompleted)
        {
            Abandon(work, action);
            throw;
        }
    }

    /// <summary>A call that still counts when part of the budget went to opening the connection.</summary>
    private static readonly TimeSpan MinimumCallTime = TimeSpan.FromMilliseconds(500);

    /// <summary>Nobody awaits the call any more: note when it finally returns, and observe its failure.</summary>
    private void Abandon<T>(Task<T> work, string action)
    {
        var abandonedAt = time.GetTimestamp();
        _ = work.ContinueWith(
            finished =>
            {
                _ = finished.Exception;
                LogAbandonedCallReturned(Uri, action, time.GetElapsedTime(abandonedAt).TotalSeconds);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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

    /// <param name="suspect">Dead or hung: make no more round trips on it (see <see cref="ConnectionLease.Retire"/>).</param>
    private void Retire(ConnectionLease lease, string reason, bool suspect = true)
    {
        lock (sync)
        {
            if (ReferenceEquals(current, lease))
            {
                current = null;
            }
        }

        if (lease.Retire(suspect) && !disposed)
        {
            LogRetired(Uri, lease.Generation, reason);
        }
    }

    /// <summary>A time budget started now; each phase of a call takes at most what is left of it.</summary>
    private readonly struct Deadline(TimeProvider time, TimeSpan budget)
    {
        private readonly long started = time.GetTimestamp();

        public TimeSpan Bounded(TimeSpan limit, TimeSpan? floor = null)
        {
            var left = budget - time.GetElapsedTime(started);
            if (floor is { } minimum && left < minimum)
            {
                left = minimum;
            }

            return left < TimeSpan.Zero ? TimeSpan.Zero : left < limit ? left : limit;
        }
    }
}

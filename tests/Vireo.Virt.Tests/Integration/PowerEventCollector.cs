using System.Threading.Channels;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Virt.Tests.Integration;

/// <summary>Runs WatchPowerStateAsync in the background and lets a test wait for the change it expects.</summary>
internal sealed class PowerEventCollector : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<PowerStateChange> received = Channel.CreateUnbounded<PowerStateChange>();
    private readonly List<PowerStateChange> seen = [];
    private readonly Task pump;

    private PowerEventCollector(LibvirtHypervisor hypervisor)
    {
        pump = Task.Run(async () =>
        {
            await foreach (var change in hypervisor.WatchPowerStateAsync(stop.Token))
            {
                received.Writer.TryWrite(change);
            }
        });
    }

    /// <summary>Starts watching and returns once the watcher's subscription is registered, so no event of the test is missed.</summary>
    public static async Task<PowerEventCollector> StartAsync(LibvirtHypervisor hypervisor, CancellationToken cancellationToken)
    {
        var before = hypervisor.SubscriptionCount;
        var collector = new PowerEventCollector(hypervisor);
        await WaitUntilAsync(
            () => hypervisor.SubscriptionCount > before
                  || (collector.pump.IsCompleted ? throw new InvalidOperationException("the watcher ended before it subscribed", collector.pump.Exception) : false),
            "the watcher to subscribe", cancellationToken);
        return collector;
    }

    /// <summary>Everything received so far, in order.</summary>
    public IReadOnlyList<PowerStateChange> Seen => seen;

    public async Task<PowerStateChange> WaitForAsync(Guid instanceId, PowerState state, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LibvirtHostFixture.Deadline);
        try
        {
            while (true)
            {
                var change = await received.Reader.ReadAsync(deadline.Token);
                seen.Add(change);
                if (change.InstanceId == instanceId && change.PowerState == state)
                {
                    return change;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"no {state} change for {instanceId} within {LibvirtHostFixture.Deadline}; seen: {string.Join(", ", seen.Select(c => $"{c.InstanceId}={c.PowerState}"))}");
        }
    }

    /// <summary>Takes what arrived within the quiet period; for asserting what must not arrive.</summary>
    public async Task<IReadOnlyList<PowerStateChange>> DrainAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        await Task.Delay(quiet, cancellationToken);
        while (received.Reader.TryRead(out var change))
        {
            seen.Add(change);
        }

        return seen;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + LibvirtHostFixture.Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"timed out after {LibvirtHostFixture.Deadline} waiting for {what}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await pump.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Vireo.Core;
using Vireo.Core.Diagnostics;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests;

/// <summary>
/// The manager when libvirt hangs: opens and calls that block (fakes over test:///default), so
/// the deadlines, the bulkhead and the single open in flight can be watched without a daemon.
/// </summary>
public sealed class LibvirtHangTests
{
    private const string TestUri = "test:///default";

    private static readonly LibvirtLimits Short = new()
    {
        MaxConcurrentCalls = 2,
        SlotWait = TimeSpan.FromMilliseconds(300),
        CallTimeout = TimeSpan.FromMilliseconds(500),
        OpenTimeout = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Generous on a loaded machine, yet far below "blocked until released".</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(4);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task A_call_that_blocks_answers_unavailable_in_time_keeps_its_slot_until_it_returns_and_the_next_call_reconnects()
    {
        using var reconnects = new ReconnectCounter();
        await using var manager = new LibvirtManagerFixture(Short).Manager;
        await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel);
        var first = manager.CurrentLease!;
        using var release = new ManualResetEventSlim();

        var clock = Stopwatch.StartNew();
        var e = await Should.ThrowAsync<VireoException>(() => manager.RunAsync("list guests", c =>
        {
            release.Wait(TimeSpan.FromMinutes(1));
            return c.HypervisorType;
        }, Cancel));

        clock.Elapsed.ShouldBeLessThan(Prompt);
        e.Kind.ShouldBe(ErrorKind.Unavailable);
        e.Message.ShouldBe("libvirt at test:///default did not answer within 0.5 s (while trying to list guests); check that libvirtd is running and not stuck (virsh -c test:///default version) and retry: the connection is replaced once it answers");
        manager.CallsInside.ShouldBe(1);
        first.IsLost.ShouldBeTrue();
        // No round trip (closing, deregistering) races the call still stuck inside the connection.
        await Task.Delay(200, Cancel);
        first.Released.IsCompleted.ShouldBeFalse();

        // The next call reconnects while the stuck thread still holds its slot.
        (await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel)).ShouldBe("TEST");
        manager.Generation.ShouldBe(2);
        reconnects.Count.ShouldBeGreaterThanOrEqualTo(1);

        release.Set();
        await WaitUntilAsync(() => manager.CallsInside == 0);
        await first.Released.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
    }

    [Fact(Timeout = 60_000)]
    public async Task When_every_slot_is_held_by_a_stuck_call_the_next_call_is_refused_after_the_slot_wait_and_runs_once_they_return()
    {
        await using var manager = new LibvirtManagerFixture(Short).Manager;
        await manager.AcquireAsync(Cancel);
        using var release = new ManualResetEventSlim();
        for (var i = 0; i < Short.MaxConcurrentCalls; i++)
        {
            await Should.ThrowAsync<VireoException>(() => manager.RunAsync("hang", _ => release.Wait(TimeSpan.FromMinutes(1)), Cancel));
        }

        manager.CallsInside.ShouldBe(2);
        var ran = false;
        var clock = Stopwatch.StartNew();
        var e = await Should.ThrowAsync<VireoException>(() => manager.RunAsync("read the hypervisor type", _ => ran = true, Cancel));

        clock.Elapsed.ShouldBeLessThan(Prompt);
        e.Kind.ShouldBe(ErrorKind.Unavailable);
        // The stuck calls retired their connection, so the refused step is the reconnect.
        e.Message.ShouldBe("libvirt at test:///default did not answer within 0.3 s: all 2 call slots are held by calls still waiting on it, so 'open a connection' was not tried; check that libvirtd is running and not stuck (virsh -c test:///default version) and retry");
        ran.ShouldBeFalse();
        manager.CallsInside.ShouldBe(2);

        release.Set();
        await WaitUntilAsync(() => manager.CallsInside == 0);
        (await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel)).ShouldBe("TEST");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_open_that_blocks_is_made_once_its_waiters_time_out_and_it_serves_the_next_call_when_it_returns()
    {
        var opens = 0;
        using var release = new ManualResetEventSlim();
        await using var manager = new LibvirtConnectionManager(TestUri, null, null, (uri, options) =>
        {
            Interlocked.Increment(ref opens);
            release.Wait(TimeSpan.FromMinutes(1));
            return Connection.Open(uri, options);
        }, Short);

        var clock = Stopwatch.StartNew();
        var waiters = Enumerable.Range(0, 3)
            .Select(_ => Should.ThrowAsync<VireoException>(() => manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel)))
            .ToList();
        var errors = await Task.WhenAll(waiters);

        clock.Elapsed.ShouldBeLessThan(Prompt);
        errors.ShouldAllBe(e => e.Kind == ErrorKind.Unavailable);
        errors[0].Message.ShouldBe("libvirt at test:///default did not answer within 0.5 s (opening a connection); check that libvirtd is running and not stuck (virsh -c test:///default version) and retry");
        Volatile.Read(ref opens).ShouldBe(1);
        manager.CallsInside.ShouldBe(1);

        // Another caller meanwhile waits for the same open instead of starting a second one.
        await Should.ThrowAsync<VireoException>(() => manager.AcquireAsync(Cancel));
        Volatile.Read(ref opens).ShouldBe(1);

        release.Set();
        await WaitUntilAsync(() => manager.CurrentLease is not null);
        (await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel)).ShouldBe("TEST");
        Volatile.Read(ref opens).ShouldBe(1);
        manager.Generation.ShouldBe(1);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_slow_call_gets_its_own_longer_budget()
    {
        await using var manager = new LibvirtManagerFixture(Short).Manager;

        var type = await manager.RunAsync("start a guest", TimeSpan.FromSeconds(20), c =>
        {
            Thread.Sleep(Short.CallTimeout * 2);
            return c.HypervisorType;
        }, Cancel);

        type.ShouldBe("TEST");
        manager.Generation.ShouldBe(1);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the condition never held");
            await Task.Delay(20, Cancel);
        }
    }

    private sealed class LibvirtManagerFixture(LibvirtLimits limits)
    {
        public LibvirtConnectionManager Manager { get; } = new(TestUri, limits: limits);
    }

    /// <summary>Counts <see cref="VireoMetrics.LibvirtReconnects"/> measurements while alive.</summary>
    private sealed class ReconnectCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long count;

        public ReconnectCounter()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                // By name: the instrument may be published while VireoMetrics is still being initialized
                // (its first use is the reconnect itself), when its static field is not assigned yet.
                if (instrument.Meter.Name == VireoMetrics.MeterName && instrument.Name == "vireo.libvirt.reconnects")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref count, value));
            listener.Start();
        }

        public long Count => Interlocked.Read(ref count);

        public void Dispose() => listener.Dispose();
    }
}

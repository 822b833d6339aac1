using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Virt.Tests.Integration;

/// <summary>A watcher that falls behind: the bounded subscription drops the oldest events, and the watcher reads every state again.</summary>
public sealed class EventDropTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task Events_dropped_while_the_reader_stalls_are_made_up_for_by_every_owned_guests_current_state()
    {
        var logs = new ListLogger();
        await using var hypervisor = new LibvirtHypervisor(host.Settings, logger: logs) { EventCapacity = 1 };
        var first = host.NewSpec("drop-a");
        var second = host.NewSpec("drop-b");
        await using var firstScope = new GuestScope(host, first.InstanceId);
        await using var secondScope = new GuestScope(host, second.InstanceId);
        await using var watch = hypervisor.WatchPowerStateAsync(Cancel).GetAsyncEnumerator(Cancel);
        var next = watch.MoveNextAsync().AsTask();
        await PowerEventCollector.WaitUntilAsync(() => hypervisor.SubscriptionCount > 0, "the watcher to subscribe", Cancel);

        await hypervisor.DefineGuestAsync(first, Cancel);
        (await next).ShouldBeTrue();
        watch.Current.InstanceId.ShouldBe(first.InstanceId);

        // The reader stalls: three more events into a channel of one.
        await hypervisor.DefineGuestAsync(second, Cancel);
        await hypervisor.StartGuestAsync(first.InstanceId, Cancel);
        await PowerEventCollector.WaitUntilAsync(() => hypervisor.EventsDropped > 0, "an event to be dropped", Cancel);

        var after = new List<PowerStateChange>();
        while (after.Count < 2)
        {
            (await watch.MoveNextAsync()).ShouldBeTrue();
            after.Add(watch.Current);
        }

        // The snapshot comes first: the running guest and the defined one whose event may be gone.
        after.ShouldContain(c => c.InstanceId == first.InstanceId && c.PowerState == PowerState.Running);
        after.ShouldContain(c => c.InstanceId == second.InstanceId && c.PowerState == PowerState.Shutdown);
        logs.Entries.ShouldContain(e => e.Id == 2020 && e.Level == LogLevel.Warning && e.Message.Contains("dropped", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<(int Id, LogLevel Level, string Message)> entries = [];

        public IReadOnlyList<(int Id, LogLevel Level, string Message)> Entries
        {
            get { lock (entries) { return [.. entries]; } }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (entries)
            {
                entries.Add((eventId.Id, logLevel, formatter(state, exception)));
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Libvirt;

namespace Vireo.Virt;

public sealed partial class LibvirtHypervisor
{
    /// <summary>uuids seen in events and found not to be ours; forgotten when the uuid is defined again.</summary>
    private readonly ConcurrentDictionary<Guid, bool> foreign = new();

    private long subscriptions;
    private LifecycleSubscription? latestSubscription;

    /// <summary>Events the latest subscription dropped so far, for tests that must act once it has.</summary>
    internal long EventsDropped => Volatile.Read(ref latestSubscription)?.DroppedCount ?? 0;

    /// <summary>How many lifecycle subscriptions watchers have made, for tests that must act only once a watcher listens.</summary>
    internal long SubscriptionCount => Interlocked.Read(ref subscriptions);

    /// <summary>Unread events a subscription keeps; when more arrive the oldest are dropped and every state is read again.</summary>
    internal int EventCapacity { get; init; } = LifecycleSubscription.DefaultCapacity;

    /// <summary>How long the watcher waits before subscribing again when libvirt is unreachable.</summary>
    internal TimeSpan ResubscribeDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Power state changes of this installation's guests until cancelled (or the hypervisor is
    /// disposed). Events are hints: each change carries the state read after the event. When the
    /// connection is lost the watcher subscribes again on the new one and then reports the current
    /// state of every owned guest (NoState for those gone), since events in the gap were lost. The
    /// same snapshot follows when the subscription dropped events because this reader fell behind.
    /// </summary>
    public async IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposing.Token);
        var token = linked.Token;
        var resubscribing = false;
        while (!token.IsCancellationRequested)
        {
            var subscribed = await SubscribeAsync(token).ConfigureAwait(false);
            if (subscribed is not { } current)
            {
                if (!await DelayAsync(ResubscribeDelay, token).ConfigureAwait(false))
                {
                    yield break;
                }

                resubscribing = true;
                continue;
            }

            var (lease, subscription) = current;
            try
            {
                if (resubscribing)
                {
                    foreach (var change in await SnapshotAsync(token).ConfigureAwait(false))
                    {
                        yield return change;
                    }
                }

                resubscribing = true;
                var dropsSeen = 0L;
                while (await NextEventAsync(lease, subscription, token).ConfigureAwait(false) is { } lifecycle)
                {
                    if (subscription.DroppedCount is var dropped && dropped > dropsSeen)
                    {
                        LogEventsDropped(dropped - dropsSeen, EventCapacity);
                        dropsSeen = dropped;
                        foreach (var resync in await SnapshotAsync(token).ConfigureAwait(false))
                        {
                            yield return resync;
                        }
                    }

                    if (await ToChangeAsync(lifecycle, token).ConfigureAwait(false) is { } change)
                    {
                        yield return change;
                    }
                }
            }
            finally
            {
                lease.Detach(subscription);
            }
        }
    }

    private async Task<(ConnectionLease Lease, LifecycleSubscription Subscription)?> SubscribeAsync(CancellationToken token)
    {
        try
        {
            // Not cancelled half-way: a subscription made after its watcher left would stay registered,
            // and libvirt tracks one lifecycle callback per connection, refusing the next watcher's.
            // The call is bounded by its timeout all the same.
            var subscribed = await connections.RunOnLeaseAsync("subscribe to guest lifecycle events", lease =>
            {
                var subscription = lease.Connection.SubscribeLifecycleEvents(EventCapacity);
                lease.Attach(subscription);
                Volatile.Write(ref latestSubscription, subscription);
                Interlocked.Increment(ref subscriptions);
                return (lease, subscription);
            }, CancellationToken.None).ConfigureAwait(false);
            if (token.IsCancellationRequested)
            {
                subscribed.lease.Detach(subscribed.subscription);
                return null;
            }

            return subscribed;
        }
        catch (VireoException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return null;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The next event, or null when the connection was lost, the subscription ended or the watcher was cancelled.</summary>
    private static async Task<DomainLifecycleEvent?> NextEventAsync(ConnectionLease lease, LifecycleSubscription subscription, CancellationToken token)
    {
        while (true)
        {
            if (subscription.Events.TryRead(out var lifecycle))
            {
                return lifecycle;
            }

            var ready = subscription.Events.WaitToReadAsync(token).AsTask();
            var first = await Task.WhenAny(ready, lease.Lost).ConfigureAwait(false);
            if (first != ready || ready.IsCanceled || ready.IsFaulted || !await ready.ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async Task<PowerStateChange?> ToChangeAsync(DomainLifecycleEvent lifecycle, CancellationToken token)
    {
        var id = lifecycle.Uuid;
        if (lifecycle.Event == DomainEventType.Defined)
        {
            foreign.TryRemove(id, out _);
        }

        try
        {
            return await connections.RunAsync($"read the guest of instance {id}", connection =>
            {
                var known = owned.ContainsKey(id);
                if (!known && foreign.ContainsKey(id))
                {
                    return null;
                }

                using var domain = connection.TryLookupDomainByUuid(id);
                if (!known)
                {
                    // Undefined domains cannot be checked any more; only the remembered ones are reported.
                    if (domain is null || !IsOwned(domain))
                    {
                        foreign[id] = true;
                        return null;
                    }

                    owned[id] = true;
                }

                if (domain is null)
                {
                    owned.TryRemove(id, out _);
                }

                // Nova reports a guest the hypervisor no longer has as NOSTATE.
                var state = domain is null ? PowerState.NoState : PowerStates.FromLibvirt(domain.GetState().State);
                return new PowerStateChange(id, state, time.GetUtcNow());
            }, token).ConfigureAwait(false);
        }
        catch (VireoException e) when (e.Kind is ErrorKind.Unavailable or ErrorKind.Failed or ErrorKind.NotFound)
        {
            // A hint that cannot be followed now; a lost connection is noticed by the watch loop.
            return null;
        }
    }

    /// <summary>Every owned guest's state, and NoState for remembered guests that disappeared while no one listened.</summary>
    private async Task<IReadOnlyList<PowerStateChange>> SnapshotAsync(CancellationToken token)
    {
        IReadOnlyList<GuestInfo> guests;
        try
        {
            guests = await ListOwnedGuestsAsync(token).ConfigureAwait(false);
        }
        catch (VireoException e) when (e.Kind is ErrorKind.Unavailable or ErrorKind.Failed)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var changes = guests.Select(g => new PowerStateChange(g.InstanceId, g.PowerState, now)).ToList();
        var present = guests.Select(g => g.InstanceId).ToHashSet();
        foreach (var gone in owned.Keys.Where(id => !present.Contains(id)).ToList())
        {
            owned.TryRemove(gone, out _);
            changes.Add(new PowerStateChange(gone, PowerState.NoState, now));
        }

        return changes;
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "libvirt: {Count} lifecycle event(s) dropped (more than {Capacity} unread); reading every guest's state again")]
    private partial void LogEventsDropped(long count, int capacity);
}

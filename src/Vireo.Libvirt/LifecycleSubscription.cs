using System.Runtime.InteropServices;
using System.Threading.Channels;
using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

/// <summary>
/// Lifecycle events (VIR_DOMAIN_EVENT_ID_LIFECYCLE) read from a channel. The callback runs on the
/// event-loop thread and only copies the domain's identity into the channel: consumers run
/// elsewhere, so they may call libvirt without blocking the loop. The channel is bounded: a consumer
/// that falls behind (or stalls on a hung libvirtd) loses the oldest events, never the loop's time or
/// the process's memory; <see cref="DroppedCount"/> tells it how many, so it can read every state again.
/// </summary>
public sealed class LifecycleSubscription : IDisposable
{
    private const int VirDomainEventIdLifecycle = 0;
    private readonly Connection connection;
    /// <summary>Events kept for a consumer that has not read them yet: far more than one host's guests change at once.</summary>
    public const int DefaultCapacity = 1024;

    private readonly Channel<DomainLifecycleEvent> channel;
    private readonly int callbackId;
    private long dropped;
    private int disposed;

    internal unsafe LifecycleSubscription(Connection connection, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.connection = connection;
        channel = Channel.CreateBounded<DomainLifecycleEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref dropped));
        var opaque = GCHandle.Alloc(channel.Writer);
        var id = NativeMethods.virConnectDomainEventRegisterAny(
            connection.Handle, 0, VirDomainEventIdLifecycle, &OnLifecycle, GCHandle.ToIntPtr(opaque),
            (nint)(delegate* unmanaged<nint, void>)&Connection.FreeOpaque);
        if (id < 0)
        {
            opaque.Free();
            throw Checked.LastError("virConnectDomainEventRegisterAny");
        }
        callbackId = id;
    }

    public ChannelReader<DomainLifecycleEvent> Events => channel.Reader;

    /// <summary>Events dropped so far because the channel was full (the oldest go first).</summary>
    public long DroppedCount => Interlocked.Read(ref dropped);

    [UnmanagedCallersOnly]
    private static unsafe int OnLifecycle(nint conn, nint dom, int evt, int detail, nint opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is not ChannelWriter<DomainLifecycleEvent> writer)
        {
            return 0;
        }
        var buffer = stackalloc byte[37];
        var uuid = NativeMethods.virDomainGetUUIDString(dom, buffer) == 0
            ? Guid.Parse(new ReadOnlySpan<byte>(buffer, 36))
            : Guid.Empty;
        var name = Marshal.PtrToStringUTF8(NativeMethods.virDomainGetName(dom)) ?? string.Empty;
        writer.TryWrite(new DomainLifecycleEvent(uuid, name, (DomainEventType)evt, detail));
        return 0;
    }

    /// <summary>
    /// Ends the subscription without asking libvirt to deregister it: for a connection that is dead
    /// or hung, where the deregistration is a round trip that never comes back (and racing it with
    /// the connection's close crashes libvirt's client). libvirt frees the callback with the connection.
    /// </summary>
    public void Abandon()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            channel.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        if (NativeMethods.virConnectDomainEventDeregisterAny(connection.Handle, callbackId) < 0)
        {
            NativeMethods.virResetLastError();
        }
        channel.Writer.TryComplete();
    }
}

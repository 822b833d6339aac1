using System.Runtime.InteropServices;
using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

public sealed partial class Connection
{
    // The opaque pointer handed to libvirt is a GCHandle to the completion source; libvirt calls
    // FreeOpaque when the callback is unregistered or the connection is freed, and only then is it released.
    private unsafe bool TryRegisterCloseCallback()
    {
        var opaque = GCHandle.Alloc(closed);
        var rc = NativeMethods.virConnectRegisterCloseCallback(handle, &OnClose, GCHandle.ToIntPtr(opaque), (nint)(delegate* unmanaged<nint, void>)&FreeOpaque);
        if (rc < 0)
        {
            opaque.Free();
            var error = Checked.LastError("virConnectRegisterCloseCallback");
            return error is LibvirtNotSupportedException ? false : throw error;
        }
        return true;
    }

    private unsafe void UnregisterCloseCallback()
    {
        if (NativeMethods.virConnectUnregisterCloseCallback(handle, &OnClose) < 0)
        {
            // Already closed by libvirt: nothing left to unregister; keep the error off this thread.
            NativeMethods.virResetLastError();
        }
    }

    [UnmanagedCallersOnly]
    private static void OnClose(nint conn, int reason, nint opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is TaskCompletionSource<ConnectionCloseReason> tcs)
        {
            tcs.TrySetResult((ConnectionCloseReason)reason);
        }
    }

    [UnmanagedCallersOnly]
    internal static void FreeOpaque(nint opaque) => GCHandle.FromIntPtr(opaque).Free();

    /// <summary>
    /// Starts delivering lifecycle events of every domain on this connection until the subscription is
    /// disposed; at most <paramref name="capacity"/> unread events are kept (the oldest are dropped).
    /// </summary>
    public LifecycleSubscription SubscribeLifecycleEvents(int capacity = LifecycleSubscription.DefaultCapacity) => new(this, capacity);
}

using System.Runtime.InteropServices;
using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

/// <summary>
/// libvirt's default event loop on one background thread. It must be registered before the first
/// connection is opened: keepalive, close callbacks and domain events are all dispatched from it.
/// </summary>
public static class EventLoop
{
    private static readonly Lock Gate = new();
    private static Thread? thread;

    public static bool IsRunning => thread is not null;

    public static unsafe void EnsureStarted()
    {
        lock (Gate)
        {
            if (thread is not null)
            {
                return;
            }
            Checked.EnsureInitialized();
            Checked.Int(NativeMethods.virEventRegisterDefaultImpl(), "virEventRegisterDefaultImpl");
            // A periodic timer bounds how long one iteration can block, so the loop keeps turning
            // even when no file descriptor is ready (libvirt documents this pattern for default loops).
            Checked.Int(NativeMethods.virEventAddTimeout(1000, &Tick, 0, 0), "virEventAddTimeout");
            thread = new Thread(Run) { IsBackground = true, Name = "libvirt-event-loop" };
            thread.Start();
        }
    }

    [UnmanagedCallersOnly]
    private static void Tick(int timer, nint opaque) { }

    private static void Run()
    {
        while (true)
        {
            if (NativeMethods.virEventRunDefaultImpl() < 0)
            {
                // The loop itself failed (should not happen); keep the error out of other threads and back off.
                NativeMethods.virResetLastError();
                Thread.Sleep(100);
            }
        }
    }
}

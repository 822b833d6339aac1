using System.Runtime.InteropServices;

namespace Vireo.Libvirt.Interop;

// Layer 2: every raw call goes through one of these right after it returns, on the same thread,
// because virGetLastError is thread-local and the next libvirt call on this thread overwrites it.
internal static class Checked
{
    private static int initialized;

    internal static unsafe void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 1)
        {
            return;
        }
        if (NativeMethods.virInitialize() < 0)
        {
            throw LastError("virInitialize");
        }
        // Without a handler libvirt prints every error to stderr; we report them as exceptions instead.
        NativeMethods.virSetErrorFunc(0, &SilentErrorHandler);
    }

    [UnmanagedCallersOnly]
    private static void SilentErrorHandler(nint userData, nint error) { }

    internal static int Int(int rc, string call) => rc < 0 ? throw LastError(call) : rc;

    internal static nint Ptr(nint ptr, string call) => ptr == 0 ? throw LastError(call) : ptr;

    /// <summary>A char* the caller owns: copied, then released with free().</summary>
    internal static string OwnedString(nint ptr, string call)
    {
        Ptr(ptr, call);
        try
        {
            return Marshal.PtrToStringUTF8(ptr) ?? string.Empty;
        }
        finally
        {
            NativeMethods.free(ptr);
        }
    }

    /// <summary>A char* libvirt keeps ownership of.</summary>
    internal static string BorrowedString(nint ptr, string call) => Marshal.PtrToStringUTF8(Ptr(ptr, call)) ?? string.Empty;

    internal static LibvirtException LastError(string call)
    {
        var ptr = NativeMethods.virGetLastError();
        if (ptr == 0)
        {
            return new LibvirtException(LibvirtErrorCode.InternalError, LibvirtErrorDomain.None, $"{call} failed without a libvirt error");
        }
        var error = Marshal.PtrToStructure<VirError>(ptr);
        var message = Marshal.PtrToStringUTF8(error.message) ?? $"{call} failed";
        NativeMethods.virResetLastError();
        return LibvirtException.From((LibvirtErrorCode)error.code, (LibvirtErrorDomain)error.domain, message);
    }
}

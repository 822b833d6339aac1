using System.Runtime.InteropServices;

namespace Vireo.Libvirt.Interop;

/// <summary>Owns one reference to a virConnectPtr; released with virConnectClose.</summary>
internal sealed class ConnectionHandle : SafeHandle
{
    public ConnectionHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal ConnectionHandle(nint ptr) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(ptr);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.virConnectClose(handle) >= 0;
}

/// <summary>Owns one reference to a virDomainPtr; released with virDomainFree.</summary>
internal sealed class DomainHandle : SafeHandle
{
    public DomainHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal DomainHandle(nint ptr) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(ptr);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.virDomainFree(handle) == 0;
}

/// <summary>Owns one reference to a virSecretPtr; released with virSecretFree.</summary>
internal sealed class SecretHandle : SafeHandle
{
    public SecretHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal SecretHandle(nint ptr) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(ptr);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.virSecretFree(handle) == 0;
}

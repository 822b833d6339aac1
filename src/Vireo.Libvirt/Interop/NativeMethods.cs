using System.Runtime.InteropServices;

namespace Vireo.Libvirt.Interop;

// Layer 1: raw interop. Names are libvirt's exact C names (include/libvirt/libvirt-*.h) so the
// C documentation applies unchanged. Pointers stay IntPtr/nint here and never leave this layer
// except inside SafeHandles.
internal static partial class NativeMethods
{
    internal const string Lib = "libvirt.so.0";
    internal const string QemuLib = "libvirt-qemu.so.0";
    private const string LibC = "libc.so.6";

    // --- library / errors (libvirt-host.h, virterror.h) ---
    [LibraryImport(Lib)] internal static partial int virInitialize();
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virGetVersion(out ulong libVer, string? type, out ulong typeVer);
    [LibraryImport(Lib)] internal static partial nint virGetLastError();
    [LibraryImport(Lib)] internal static partial void virResetLastError();
    [LibraryImport(Lib)] internal static unsafe partial void virSetErrorFunc(nint userData, delegate* unmanaged<nint, nint, void> handler);

    // --- connections ---
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virConnectOpen(string name);
    [LibraryImport(Lib)] internal static partial int virConnectClose(nint conn);
    [LibraryImport(Lib)] internal static partial int virConnectSetKeepAlive(ConnectionHandle conn, int interval, uint count);
    [LibraryImport(Lib)] internal static unsafe partial int virConnectRegisterCloseCallback(ConnectionHandle conn, delegate* unmanaged<nint, int, nint, void> cb, nint opaque, nint freecb);
    [LibraryImport(Lib)] internal static unsafe partial int virConnectUnregisterCloseCallback(ConnectionHandle conn, delegate* unmanaged<nint, int, nint, void> cb);
    [LibraryImport(Lib)] internal static partial int virConnectIsAlive(ConnectionHandle conn);
    [LibraryImport(Lib)] internal static partial nint virConnectGetCapabilities(ConnectionHandle conn);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virConnectGetDomainCapabilities(ConnectionHandle conn, string? emulatorbin, string? arch, string? machine, string? virttype, uint flags);
    [LibraryImport(Lib)] internal static partial int virConnectGetLibVersion(ConnectionHandle conn, out ulong libVer);
    [LibraryImport(Lib)] internal static partial int virConnectGetVersion(ConnectionHandle conn, out ulong hvVer);
    [LibraryImport(Lib)] internal static partial nint virConnectGetType(ConnectionHandle conn);
    [LibraryImport(Lib)] internal static partial nint virConnectGetURI(ConnectionHandle conn);
    [LibraryImport(Lib)] internal static partial nint virConnectGetHostname(ConnectionHandle conn);
    [LibraryImport(Lib)] internal static partial int virConnectListAllDomains(ConnectionHandle conn, out nint domains, uint flags);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virConnectGetCPUModelNames(ConnectionHandle conn, string arch, out nint models, uint flags);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virConnectCompareHypervisorCPU(ConnectionHandle conn, string? emulator, string? arch, string? machine, string? virttype, string xmlCPU, uint flags);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virConnectBaselineHypervisorCPU(ConnectionHandle conn, string? emulator, string? arch, string? machine, string? virttype, nint xmlCPUs, uint ncpus, uint flags);

    // --- events (libvirt-event.h, libvirt-domain.h) ---
    [LibraryImport(Lib)] internal static partial int virEventRegisterDefaultImpl();
    [LibraryImport(Lib)] internal static partial int virEventRunDefaultImpl();
    [LibraryImport(Lib)] internal static unsafe partial int virEventAddTimeout(int timeout, delegate* unmanaged<int, nint, void> cb, nint opaque, nint ff);
    [LibraryImport(Lib)] internal static partial void virEventUpdateTimeout(int timer, int timeout);
    [LibraryImport(Lib)] internal static unsafe partial int virConnectDomainEventRegisterAny(ConnectionHandle conn, nint dom, int eventID, delegate* unmanaged<nint, nint, int, int, nint, int> cb, nint opaque, nint freecb);
    [LibraryImport(Lib)] internal static partial int virConnectDomainEventDeregisterAny(ConnectionHandle conn, int callbackID);

    // --- domains ---
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virDomainLookupByUUIDString(ConnectionHandle conn, string uuidstr);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virDomainLookupByName(ConnectionHandle conn, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virDomainDefineXMLFlags(ConnectionHandle conn, string xml, uint flags);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virDomainCreateXML(ConnectionHandle conn, string xmlDesc, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainUndefineFlags(DomainHandle domain, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainCreateWithFlags(DomainHandle domain, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainDestroyFlags(DomainHandle domain, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainShutdownFlags(DomainHandle domain, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainReboot(DomainHandle domain, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainSuspend(DomainHandle domain);
    [LibraryImport(Lib)] internal static partial int virDomainResume(DomainHandle domain);
    [LibraryImport(Lib)] internal static partial int virDomainGetState(DomainHandle domain, out int state, out int reason, uint flags);
    [LibraryImport(Lib)] internal static partial nint virDomainGetXMLDesc(DomainHandle domain, uint flags);
    [LibraryImport(Lib)] internal static partial nint virDomainGetName(DomainHandle domain);
    [LibraryImport(Lib)] internal static unsafe partial int virDomainGetUUIDString(DomainHandle domain, byte* buf);
    [LibraryImport(Lib)] internal static partial int virDomainIsPersistent(DomainHandle domain);
    [LibraryImport(Lib)] internal static partial int virDomainFree(nint domain);

    // --- backup and jobs (libvirt-domain.h, libvirt-domain-checkpoint.h) ---
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainBackupBegin(DomainHandle domain, string backupXML, string? checkpointXML, uint flags);
    [LibraryImport(Lib)] internal static partial int virDomainAbortJob(DomainHandle domain);
    [LibraryImport(Lib)] internal static partial int virDomainGetJobStats(DomainHandle domain, out int type, out nint parameters, out int nparams, uint flags);
    [LibraryImport(Lib)] internal static partial void virTypedParamsFree(nint parameters, int nparams);
    [LibraryImport(Lib)] internal static unsafe partial int virDomainGetUUIDString(nint domain, byte* buf);
    [LibraryImport(Lib)] internal static partial nint virDomainGetName(nint domain);

    // --- secrets (libvirt-secret.h) ---
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virSecretDefineXML(ConnectionHandle conn, string xml, uint flags);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virSecretLookupByUUIDString(ConnectionHandle conn, string uuidstr);
    [LibraryImport(Lib)] internal static unsafe partial int virSecretSetValue(SecretHandle secret, byte* value, nuint valueSize, uint flags);
    [LibraryImport(Lib)] internal static unsafe partial int virSecretGetUUIDString(SecretHandle secret, byte* buf);
    [LibraryImport(Lib)] internal static partial nint virSecretGetUsageID(SecretHandle secret);
    [LibraryImport(Lib)] internal static partial int virSecretUndefine(SecretHandle secret);
    [LibraryImport(Lib)] internal static partial int virSecretFree(nint secret);

    // --- libvirt-qemu.so.0 ---
    [LibraryImport(QemuLib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virDomainQemuAgentCommand(DomainHandle domain, string cmd, int timeout, uint flags);

    [LibraryImport(LibC)] internal static partial void free(nint ptr);
}

using System.Runtime.InteropServices;
using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

/// <summary>Keepalive settings: libvirt closes the connection after Count unanswered probes sent every Interval.</summary>
public sealed record ConnectionOptions(int KeepAliveIntervalSeconds = 5, uint KeepAliveCount = 3)
{
    public static ConnectionOptions Default { get; } = new();
}

/// <summary>One libvirt connection (virConnectPtr). Thread-safe as libvirt connections are.</summary>
public sealed partial class Connection : IDisposable
{
    private readonly ConnectionHandle handle;
    private readonly TaskCompletionSource<ConnectionCloseReason> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool closeCallbackRegistered;

    private Connection(ConnectionHandle handle, string uri, ConnectionOptions options)
    {
        this.handle = handle;
        RequestedUri = uri;
        KeepAliveEnabled = TrySetKeepAlive(options);
        closeCallbackRegistered = TryRegisterCloseCallback();
    }

    public string RequestedUri { get; }

    /// <summary>False when the driver has no keepalive (in-process drivers such as test:///default).</summary>
    public bool KeepAliveEnabled { get; }

    /// <summary>Completes when libvirt reports the connection closed (daemon gone, keepalive timeout, ...). Never completes for in-process drivers.</summary>
    public Task<ConnectionCloseReason> Closed => closed.Task;

    public static Connection Open(string uri, ConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        EventLoop.EnsureStarted();
        var ptr = NativeMethods.virConnectOpen(uri);
        if (ptr == 0)
        {
            var error = Checked.LastError("virConnectOpen");
            throw new LibvirtConnectionException(error.Code, error.ErrorDomain, $"cannot connect to libvirt at {uri}: {error.Message}");
        }
        return new Connection(new ConnectionHandle(ptr), uri, options ?? ConnectionOptions.Default);
    }

    internal ConnectionHandle Handle => handle;

    public bool IsAlive => Checked.Int(NativeMethods.virConnectIsAlive(handle), "virConnectIsAlive") == 1;

    public string Uri => Checked.OwnedString(NativeMethods.virConnectGetURI(handle), "virConnectGetURI");

    /// <summary>The hypervisor driver name, e.g. "QEMU" or "TEST".</summary>
    public string HypervisorType => Checked.BorrowedString(NativeMethods.virConnectGetType(handle), "virConnectGetType");

    public string Hostname => Checked.OwnedString(NativeMethods.virConnectGetHostname(handle), "virConnectGetHostname");

    /// <summary>The version of libvirt the other end runs (the daemon for remote URIs).</summary>
    public LibvirtVersion LibraryVersion
    {
        get
        {
            Checked.Int(NativeMethods.virConnectGetLibVersion(handle, out var v), "virConnectGetLibVersion");
            return LibvirtVersion.FromEncoded(v);
        }
    }

    /// <summary>The hypervisor's version (QEMU's for qemu:// URIs).</summary>
    public LibvirtVersion HypervisorVersion
    {
        get
        {
            Checked.Int(NativeMethods.virConnectGetVersion(handle, out var v), "virConnectGetVersion");
            return LibvirtVersion.FromEncoded(v);
        }
    }

    public string GetCapabilities() => Checked.OwnedString(NativeMethods.virConnectGetCapabilities(handle), "virConnectGetCapabilities");

    /// <summary>Domain capabilities for one emulator/arch/machine/virt type (null lets libvirt choose).</summary>
    public string GetDomainCapabilities(string? virtType = null, string? arch = null, string? machine = null, string? emulator = null) =>
        Checked.OwnedString(
            NativeMethods.virConnectGetDomainCapabilities(handle, emulator, arch, machine, virtType, 0),
            "virConnectGetDomainCapabilities");

    private bool TrySetKeepAlive(ConnectionOptions options)
    {
        var rc = NativeMethods.virConnectSetKeepAlive(handle, options.KeepAliveIntervalSeconds, options.KeepAliveCount);
        if (rc < 0)
        {
            // In-process drivers answer "not supported"; that is a property of the URI, not a failure.
            var error = Checked.LastError("virConnectSetKeepAlive");
            return error is LibvirtNotSupportedException ? false : throw error;
        }
        return rc == 0;
    }

    public void Dispose()
    {
        if (closeCallbackRegistered && !handle.IsClosed)
        {
            UnregisterCloseCallback();
        }
        handle.Dispose();
    }
}

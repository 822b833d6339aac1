using Microsoft.Extensions.Logging;

namespace Vireo.Virt;

public sealed partial class LibvirtConnectionManager
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "libvirt: connected to {Uri} (keepalive {KeepAlive})")]
    private partial void LogOpened(string uri, bool keepAlive);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "libvirt: reconnected to {Uri} (connection {Generation})")]
    private partial void LogReconnected(string uri, long generation);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "libvirt: opening a connection failed: {Message}")]
    private partial void LogOpenFailed(string message);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "libvirt: {Uri} did not answer a new connection within {Seconds:0.#} s; the open goes on and serves the next call once libvirt answers")]
    private partial void LogOpenTimedOut(string uri, double seconds);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "libvirt: '{Action}' on {Uri} did not return within {Seconds:0.#} s; its thread stays inside libvirt, the connection is retired")]
    private partial void LogCallTimedOut(string uri, string action, double seconds);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "libvirt: all {Slots} call slots for {Uri} stayed busy for {Seconds:0.#} s; '{Action}' refused")]
    private partial void LogBulkheadFull(string uri, int slots, double seconds, string action);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "libvirt: connection {Generation} to {Uri} retired: {Reason}; the next call reconnects")]
    private partial void LogRetired(string uri, long generation, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "libvirt: '{Action}' on {Uri} returned {Seconds:0.#} s after its caller gave up; its slot is free again")]
    private partial void LogAbandonedCallReturned(string uri, string action, double seconds);
}

using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Libvirt;

namespace Vireo.Virt;

public sealed partial class LibvirtHypervisor
{
    public const string GuestPingCommand = """{"execute":"guest-ping"}""";

    /// <summary>
    /// Sends one QEMU guest agent command (QGA JSON, e.g. <c>{"execute":"guest-info"}</c>) to an owned
    /// guest and returns the agent's JSON reply. libvirt rounds the timeout up to whole seconds.
    /// </summary>
    /// <exception cref="VireoException">
    /// NotFound when the instance has no owned guest; Unavailable when the agent does not answer
    /// (not started yet: the first answer comes a few seconds after boot); Failed when libvirt refused
    /// (guest not running, no agent channel).
    /// </exception>
    public Task<string> AgentCommandAsync(Guid instanceId, string json, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        return connections.RunAsync($"send a guest agent command to instance {instanceId}", AgentCall(timeout), connection =>
        {
            using var domain = FindOwnedOrThrow(connection, instanceId);
            try
            {
                return domain.QemuAgentCommand(json, timeout);
            }
            catch (LibvirtAgentUnavailableException e)
            {
                throw new VireoException(
                    ErrorKind.Unavailable,
                    $"the guest agent of instance {instanceId} is not answering (\"{e.Message}\"); it answers only once the guest has booted and runs qemu-ga",
                    e);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// One guest-ping within the timeout: Answered; NotAnswering when the agent does not answer or
    /// the guest is not running; NoAgentChannel when the guest was defined without the agent channel
    /// (libvirt: "QEMU guest agent is not configured").
    /// </summary>
    /// <exception cref="VireoException">NotFound when the instance has no owned guest; Unavailable when libvirt is unreachable.</exception>
    public Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken) =>
        connections.RunAsync($"ping the guest agent of instance {instanceId}", AgentCall(timeout), connection =>
        {
            using var domain = FindOwnedOrThrow(connection, instanceId);
            try
            {
                domain.QemuAgentCommand(GuestPingCommand, timeout);
                return AgentPing.Answered;
            }
            catch (LibvirtNotSupportedException)
            {
                return AgentPing.NoAgentChannel;
            }
            catch (LibvirtException e) when (e is LibvirtAgentUnavailableException or LibvirtOperationInvalidException
                                             || e.Code == LibvirtErrorCode.OperationTimeout)
            {
                return AgentPing.NotAnswering;
            }
        }, cancellationToken);

    /// <summary>libvirt (library and daemon) and hypervisor versions, as Nova reads them at start-up.</summary>
    public Task<HostVersions> GetVersionsAsync(CancellationToken cancellationToken = default) =>
        connections.RunAsync("report versions", connection => new HostVersions(
            connections.Uri,
            ToVersion(LibvirtVersion.Library()),
            ToVersion(connection.LibraryVersion),
            connection.HypervisorType,
            ToVersion(connection.HypervisorVersion),
            connection.Hostname), cancellationToken);

    /// <summary>libvirt waits for the agent up to the timeout (rounded up to whole seconds), and for the domain's agent job before that.</summary>
    private TimeSpan AgentCall(TimeSpan timeout) => TimeSpan.FromSeconds(Math.Ceiling(Math.Max(timeout.TotalSeconds, 0))) + connections.Limits.CallTimeout;

    private static Version ToVersion(LibvirtVersion version) => new(version.Major, version.Minor, version.Release);
}

using System.Globalization;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    /// <summary>The longest one agent ping may wait; a client that waits longer asks again.</summary>
    public static readonly TimeSpan MaxAgentPingTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Sends one guest-ping to the server's QEMU guest agent and waits up to <paramref name="timeout"/>:
    /// true when it answered, false when not yet (the guest is still building, off, booting, or runs
    /// no qemu-ga). NotFound for an unknown server; Conflict when the guest has no agent channel
    /// (its image lacks hw_qemu_guest_agent=yes), since it can never answer.
    /// </summary>
    public async Task<bool> PingGuestAgentAsync(string serverRef, TimeSpan timeout, RequestContext context, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero || timeout > MaxAgentPingTimeout)
        {
            throw VireoException.InvalidInput(string.Create(CultureInfo.InvariantCulture,
                $"the agent ping timeout must be more than 0 and at most {MaxAgentPingTimeout.TotalSeconds:F0} seconds, got {timeout.TotalSeconds:0.###}; ask again for a longer wait"));
        }

        var instance = await FindLiveAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        AgentPing result;
        try
        {
            result = await _hypervisor.PingAgentAsync(instance.Id, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException notDefined) when (notDefined.Kind == ErrorKind.NotFound)
        {
            // The server exists but its guest does not (yet): still building, or its build failed.
            return false;
        }

        return result switch
        {
            AgentPing.Answered => true,
            AgentPing.NotAnswering => false,
            _ => throw VireoException.Conflict(
                $"server '{instance.Name}' ({instance.Id}) has no guest agent channel, so its agent can never answer; boot it from an image with the property {ImagePropertyRules.QemuGuestAgent}=yes"),
        };
    }

    /// <summary>
    /// The last <paramref name="lines"/> lines of the server's serial console log (all of it when
    /// null); empty when it has written none yet. NotFound for an unknown server, also one deleted
    /// while its log was read (the delete removes the log with the instance's files).
    /// </summary>
    public async Task<string> ReadConsoleOutputAsync(string serverRef, int? lines, RequestContext context, CancellationToken cancellationToken)
    {
        var instance = await FindLiveAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        var output = await _disks.ReadConsoleLogTailAsync(instance.Id, lines, cancellationToken).ConfigureAwait(false);
        if (output is null)
        {
            // No log: not written yet, or removed by a delete that ran since the lookup; a second
            // lookup tells them apart (a server deleted meanwhile is NotFound).
            await FindLiveAsync(instance.Id.ToString("D", CultureInfo.InvariantCulture), context, cancellationToken).ConfigureAwait(false);
        }

        return output ?? string.Empty;
    }
}

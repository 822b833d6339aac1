using System.Net;

namespace Vireo.Cli.Serve;

/// <summary>What serve does with its listen address: start, start with a warning, or refuse.</summary>
/// <param name="Refusal">Set: refuse to start (exit 78) with this sentence.</param>
/// <param name="Warning">Set: start, and log this sentence at every start.</param>
public sealed record ListenDecision(string? Refusal, string? Warning)
{
    public static ListenDecision Start { get; } = new(null, null);
}

/// <summary>
/// An API without authentication is only for this host's own clients: on a loopback address it
/// starts; anywhere else anyone who can reach the port drives every guest, so serve refuses unless
/// the operator says so explicitly with <c>[vireo] allow_unauthenticated_remote_api</c>.
/// </summary>
public static class ListenPolicy
{
    public const string ListenOption = "[DEFAULT] osapi_compute_listen";

    public const string AllowOption = "[vireo] allow_unauthenticated_remote_api";

    public static ListenDecision Decide(string listen, bool authenticated, bool allowUnauthenticatedRemote)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (authenticated || IsLoopback(listen))
        {
            return ListenDecision.Start;
        }

        return allowUnauthenticatedRemote
            ? new ListenDecision(null,
                $"{ListenOption} = {listen} is not a loopback address and the API has no authentication: anyone who reaches this port controls every server and image ({AllowOption} = true allows it)")
            : new ListenDecision(
                $"{ListenOption} = {listen} is not a loopback address and the API has no authentication, so anyone reaching the port would control every server; listen on 127.0.0.1 (and reach it through an authenticating proxy) or set {AllowOption} = true to accept that",
                null);
    }

    /// <summary>A loopback IP address or the name localhost; any other name may resolve anywhere.</summary>
    public static bool IsLoopback(string listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var text = listen.Trim();
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(text.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}

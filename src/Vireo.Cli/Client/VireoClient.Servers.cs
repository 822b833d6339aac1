using System.Text.Json.Nodes;
using Vireo.Api.Contracts;

namespace Vireo.Cli.Client;

public sealed partial class VireoClient
{
    /// <summary>The caller's project's servers, newest first.</summary>
    public Task<IReadOnlyList<ServerDetail>> ListServersAsync(CancellationToken cancellationToken) => ListServersAsync(allProjects: false, cancellationToken);

    /// <param name="allProjects">Every project's servers (Nova's <c>all_tenants=1</c>, admins only); otherwise the caller's project's.</param>
    public async Task<IReadOnlyList<ServerDetail>> ListServersAsync(bool allProjects, CancellationToken cancellationToken) =>
        (await ReadAsync<ServerDetailListResponse>(Compute(HttpMethod.Get, allProjects ? "servers/detail?all_tenants=1" : "servers/detail"), cancellationToken).ConfigureAwait(false)).Servers;

    /// <summary>
    /// The id of the server <paramref name="reference"/> names: an id as it is, a name looked up in
    /// the server list (the API takes ids only). Not found: exit 3; a name several servers carry: exit 4.
    /// </summary>
    public async Task<string> ResolveServerIdAsync(string reference, CancellationToken cancellationToken) =>
        ServerReference.IsId(reference)
            ? reference
            : ServerReference.Resolve(reference, [.. (await ListServersAsync(cancellationToken).ConfigureAwait(false)).Select(server => (server.Id, server.Name))]);

    /// <summary>A server by name or id (a name is resolved first with <see cref="ResolveServerIdAsync"/>).</summary>
    public async Task<ServerDetail> FindServerByReferenceAsync(string reference, CancellationToken cancellationToken) =>
        await ShowServerAsync(await ResolveServerIdAsync(reference, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>A server by id.</summary>
    public async Task<ServerDetail> ShowServerAsync(string serverId, CancellationToken cancellationToken) =>
        (await ReadAsync<ServerResponse>(Compute(HttpMethod.Get, "servers/" + Escape(serverId)), cancellationToken).ConfigureAwait(false)).Server;

    /// <summary>The guest CPU recorded at the server's last boot (Vireo's extension endpoint).</summary>
    public async Task<GuestCpuView> GetServerGuestCpuAsync(string serverId, CancellationToken cancellationToken) =>
        (await ReadAsync<GuestCpuResponse>(Compute(HttpMethod.Get, $"servers/{Escape(serverId)}/vireo-guest-cpu"), cancellationToken).ConfigureAwait(false)).GuestCpu;

    /// <summary>
    /// One guest-ping to the server's guest agent through the service (Vireo's extension endpoint),
    /// waiting up to <paramref name="timeoutSeconds"/>: true when it answered. Exit 3 for an unknown
    /// server, 4 when the guest has no agent channel.
    /// </summary>
    public async Task<bool> PingGuestAgentAsync(string serverId, int timeoutSeconds, CancellationToken cancellationToken) =>
        (await ReadAsync<AgentPingResponse>(
            Compute(HttpMethod.Post, $"servers/{Escape(serverId)}/vireo-agent-ping", new JsonObject { ["timeout"] = timeoutSeconds }),
            cancellationToken).ConfigureAwait(false)).AgentPing.Answered;

    /// <summary>The server, or null when the service answers 404.</summary>
    public async Task<ServerDetail?> FindServerAsync(string serverId, CancellationToken cancellationToken)
    {
        try
        {
            return await ShowServerAsync(serverId, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientFailure failure) when (failure.ExitCode == ExitCodes.NotFound)
        {
            return null;
        }
    }

    public async Task<ServerCreated> CreateServerAsync(ServerCreateRequest server, CancellationToken cancellationToken) =>
        (await ReadAsync<ServerCreatedResponse>(Compute(HttpMethod.Post, "servers", new ServerCreateBody { Server = server }), cancellationToken).ConfigureAwait(false)).Server;

    public Task DeleteServerAsync(string serverId, CancellationToken cancellationToken) =>
        SendAsync(Compute(HttpMethod.Delete, "servers/" + Escape(serverId)), cancellationToken);

    public Task StartServerAsync(string serverId, CancellationToken cancellationToken) =>
        ActionAsync(serverId, new JsonObject { ["os-start"] = null }, cancellationToken);

    public Task StopServerAsync(string serverId, CancellationToken cancellationToken) =>
        ActionAsync(serverId, new JsonObject { ["os-stop"] = null }, cancellationToken);

    public Task RebootServerAsync(string serverId, bool hard, CancellationToken cancellationToken) =>
        ActionAsync(serverId, new JsonObject { ["reboot"] = new JsonObject { ["type"] = hard ? "HARD" : "SOFT" } }, cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines of the console log; all of it when null.</summary>
    public async Task<string> GetConsoleOutputAsync(string serverId, int? lines, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = lines } };
        var response = await ReadAsync<ConsoleOutputResponse>(Compute(HttpMethod.Post, $"servers/{Escape(serverId)}/action", body), cancellationToken).ConfigureAwait(false);
        return response.Output;
    }

    /// <summary>
    /// The createImage action: the service answers 202 with the new image's address in Location;
    /// returns the image's id (the last segment of that address).
    /// </summary>
    public async Task<string> CreateServerImageAsync(string serverId, string name, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (key, value) in metadata)
        {
            values[key] = value;
        }

        var body = new JsonObject { ["createImage"] = new JsonObject { ["name"] = name, ["metadata"] = values } };
        using var request = Compute(HttpMethod.Post, $"servers/{Escape(serverId)}/action", body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_setup.RequestTimeout);
        using var response = await SendAsync(request, timeout.Token, cancellationToken).ConfigureAwait(false);
        var location = response.Headers.Location?.ToString();
        return location?.TrimEnd('/').Split('/')[^1] is { } id && Guid.TryParse(id, out _)
            ? id
            : throw new ClientFailure(ExitCodes.Internal, $"the service accepted the snapshot but its answer names no image (Location: '{location}'); list the images to find it");
    }

    /// <summary>The image, or null when the service answers 404.</summary>
    public async Task<ImageView?> FindImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            return await ShowImageAsync(imageId, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientFailure failure) when (failure.ExitCode == ExitCodes.NotFound)
        {
            return null;
        }
    }

    private Task ActionAsync(string serverId, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(Compute(HttpMethod.Post, $"servers/{Escape(serverId)}/action", body), cancellationToken);
}

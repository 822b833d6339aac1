using System.Text.Json.Nodes;
using Vireo.Api.Contracts;

namespace Vireo.Cli.Client;

public sealed partial class VireoClient
{
    public async Task<IReadOnlyList<ServerDetail>> ListServersAsync(CancellationToken cancellationToken) =>
        (await ReadAsync<ServerDetailListResponse>(Compute(HttpMethod.Get, "servers/detail"), cancellationToken).ConfigureAwait(false)).Servers;

    /// <summary>A server by id or name (the service resolves both).</summary>
    public async Task<ServerDetail> ShowServerAsync(string serverRef, CancellationToken cancellationToken) =>
        (await ReadAsync<ServerResponse>(Compute(HttpMethod.Get, "servers/" + Escape(serverRef)), cancellationToken).ConfigureAwait(false)).Server;

    /// <summary>The guest CPU recorded at the server's last boot (Vireo's extension endpoint).</summary>
    public async Task<GuestCpuView> GetServerGuestCpuAsync(string serverRef, CancellationToken cancellationToken) =>
        (await ReadAsync<GuestCpuResponse>(Compute(HttpMethod.Get, $"servers/{Escape(serverRef)}/vireo-guest-cpu"), cancellationToken).ConfigureAwait(false)).GuestCpu;

    /// <summary>The server, or null when the service answers 404.</summary>
    public async Task<ServerDetail?> FindServerAsync(string serverRef, CancellationToken cancellationToken)
    {
        try
        {
            return await ShowServerAsync(serverRef, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientFailure failure) when (failure.ExitCode == ExitCodes.NotFound)
        {
            return null;
        }
    }

    public async Task<ServerCreated> CreateServerAsync(ServerCreateRequest server, CancellationToken cancellationToken) =>
        (await ReadAsync<ServerCreatedResponse>(Compute(HttpMethod.Post, "servers", new ServerCreateBody { Server = server }), cancellationToken).ConfigureAwait(false)).Server;

    public Task DeleteServerAsync(string serverRef, CancellationToken cancellationToken) =>
        SendAsync(Compute(HttpMethod.Delete, "servers/" + Escape(serverRef)), cancellationToken);

    public Task StartServerAsync(string serverRef, CancellationToken cancellationToken) =>
        ActionAsync(serverRef, new JsonObject { ["os-start"] = null }, cancellationToken);

    public Task StopServerAsync(string serverRef, CancellationToken cancellationToken) =>
        ActionAsync(serverRef, new JsonObject { ["os-stop"] = null }, cancellationToken);

    public Task RebootServerAsync(string serverRef, bool hard, CancellationToken cancellationToken) =>
        ActionAsync(serverRef, new JsonObject { ["reboot"] = new JsonObject { ["type"] = hard ? "HARD" : "SOFT" } }, cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines of the console log; all of it when null.</summary>
    public async Task<string> GetConsoleOutputAsync(string serverRef, int? lines, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = lines } };
        var response = await ReadAsync<ConsoleOutputResponse>(Compute(HttpMethod.Post, $"servers/{Escape(serverRef)}/action", body), cancellationToken).ConfigureAwait(false);
        return response.Output;
    }

    private Task ActionAsync(string serverRef, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(Compute(HttpMethod.Post, $"servers/{Escape(serverRef)}/action", body), cancellationToken);
}

using Vireo.Api.Contracts;

namespace Vireo.Cli.Client;

public sealed partial class VireoClient
{
    /// <summary>The quarantined orphans (owned guests and directories without a row), read afresh by the service.</summary>
    public async Task<IReadOnlyList<OrphanView>> ListOrphansAsync(CancellationToken cancellationToken) =>
        (await ReadAsync<OrphanListResponse>(Compute(HttpMethod.Get, "vireo-orphans"), cancellationToken).ConfigureAwait(false)).Orphans;

    /// <summary>Removes exactly one orphan; 404 (exit 3) when it is not one now, 409 (exit 4) when it has a row.</summary>
    public Task PurgeOrphanAsync(string orphanId, CancellationToken cancellationToken) =>
        SendAsync(Compute(HttpMethod.Delete, "vireo-orphans/" + Escape(orphanId)), cancellationToken);
}

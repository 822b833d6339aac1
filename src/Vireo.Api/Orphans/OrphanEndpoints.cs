using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Reconciliation;

namespace Vireo.Api.Orphans;

/// <summary>
/// <c>/v2.1/vireo-orphans</c>, a Vireo extension outside Nova's resources: the quarantined orphans
/// (owned guests and directories without a row) and the purge of exactly one of them.
/// </summary>
internal static class OrphanEndpoints
{
    public static void Map(IEndpointRouteBuilder v21)
    {
        var orphans = v21.MapGroup("/vireo-orphans");
        orphans.MapGet("", ListAsync);
        orphans.MapDelete("/{orphanId}", PurgeAsync);
    }

    private static async Task<IResult> ListAsync([FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        var orphans = await compute.ListOrphansAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(new OrphanListResponse { Orphans = [.. orphans.Select(View)] }, ApiJson.Context.OrphanListResponse);
    }

    private static async Task<IResult> PurgeAsync(string orphanId, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        await compute.PurgeOrphanAsync(orphanId, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    internal static OrphanView View(Orphan orphan) => new()
    {
        Id = orphan.InstanceId.ToString("D"),
        Kind = orphan.Kind switch
        {
            OrphanKind.Guest => "guest",
            OrphanKind.Directory => "directory",
            _ => "both",
        },
        Path = orphan.DirectoryPath,
        DomainState = orphan.GuestState?.ToNova(),
        SizeBytes = orphan.DirectorySizeBytes,
    };
}

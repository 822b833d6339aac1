using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vireo.Api.Auth;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;
using Vireo.Core.Reconciliation;

namespace Vireo.Api.Orphans;

/// <summary>
/// <c>/v2.1/vireo-orphans</c>, a Vireo extension outside Nova's resources: the quarantined orphans
/// (owned guests and directories, and RBD images and logical volumes named after an id, without a
/// row) and the purge of exactly one of them.
/// </summary>
internal static class OrphanEndpoints
{
    public static void Map(IEndpointRouteBuilder v21)
    {
        var orphans = v21.MapGroup("/vireo-orphans");
        orphans.MapGet("", ListAsync);
        orphans.MapDelete("/{orphanId}", PurgeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        var orphans = await compute.ListOrphansAsync(RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.Json(new OrphanListResponse { Orphans = [.. orphans.Select(View)] }, ApiJson.Context.OrphanListResponse);
    }

    private static async Task<IResult> PurgeAsync(string orphanId, HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        await compute.PurgeOrphanAsync(orphanId, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    internal static OrphanView View(Orphan orphan) => new()
    {
        Id = orphan.InstanceId.ToString("D"),
        Kind = orphan.Kind switch
        {
            OrphanKind.Guest => "guest",
            OrphanKind.Directory => "directory",
            OrphanKind.Both => "both",
            _ => orphan.Disks.Count > 0 ? DiskKind(orphan.Disks[0].Kind) : "disks",
        },
        Path = orphan.DirectoryPath,
        DomainState = orphan.GuestState?.ToNova(),
        SizeBytes = orphan.Kind == OrphanKind.Disks ? Sum(orphan.Disks) : orphan.DirectorySizeBytes,
        Disks = [.. orphan.Disks.Select(disk => new OrphanDiskView { Kind = DiskKind(disk.Kind), Name = disk.Name, SizeBytes = disk.SizeBytes })],
    };

    private static string DiskKind(OutsideDiskKind kind) => kind == OutsideDiskKind.RbdImage ? "rbd_image" : "logical_volume";

    private static long? Sum(IReadOnlyList<OutsideDisk> disks) =>
        disks.All(disk => disk.SizeBytes is not null) ? disks.Sum(disk => disk.SizeBytes!.Value) : null;
}

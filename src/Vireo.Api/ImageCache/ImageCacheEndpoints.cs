using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vireo.Api.Auth;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Api.ImageCache;

/// <summary>
/// <c>/v2.1/vireo-image-cache</c>, a Vireo extension outside Nova's resources, shaped like
/// <c>vireo-orphans</c>: the base image cache as the manager's next pass would judge it.
/// </summary>
internal static class ImageCacheEndpoints
{
    public static void Map(IEndpointRouteBuilder v21) => v21.MapGet("/vireo-image-cache", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext http, [FromServices] IImageCacheManager? manager, CancellationToken cancellationToken)
    {
        // The cache is the host's, every project's images: an operator's view (admins only).
        Policy.Enforce(RequestContexts.Of(http), Policy.ImageCache);
        if (manager is null)
        {
            throw new VireoException(ErrorKind.Unavailable, "this service runs no image cache manager; use `vireo serve` to see the base image cache");
        }

        var report = await manager.InspectAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(new ImageCacheResponse { Cache = View(report) }, ApiJson.Context.ImageCacheResponse);
    }

    internal static ImageCacheView View(ImageCacheReport report) => new()
    {
        IntervalSeconds = report.Interval is { } interval ? (long)interval.TotalSeconds : null,
        ReadAt = report.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        Entries = [.. report.Entries.Select(entry => new ImageCacheEntryView
        {
            Name = entry.Name,
            Kind = ImageCacheDecision.KindName(entry.Kind),
            ImageId = entry.Image?.Id.ToString("D"),
            ImageName = entry.Image?.Name,
            SizeBytes = entry.SizeBytes,
            AgeSeconds = (long)entry.Age.TotalSeconds,
            Users = entry.Users,
            NextPass = ImageCacheDecision.ActionName(entry.Action),
            Reason = entry.Reason,
        })],
    };
}

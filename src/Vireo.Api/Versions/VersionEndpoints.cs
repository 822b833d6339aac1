using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Api.Contracts;
using Vireo.Api.Http;

namespace Vireo.Api.Versions;

/// <summary>Version discovery: <c>GET /</c> lists the versions, <c>GET /v2.1</c> describes the one served.</summary>
internal static class VersionEndpoints
{
    // Nova's v2.1 "updated" stamp, unchanged since the version appeared.
    private const string Updated = "2013-07-23T11:33:21Z";

    public static void MapRoot(IEndpointRouteBuilder root)
    {
        root.MapGet("/", (HttpContext http, ComputeApiOptions options) =>
        {
            var links = new ApiLinks(http.Request, options);
            return Results.Json(new VersionsResponse { Versions = [Describe(links, withMediaTypes: false)] }, ApiJson.Context.VersionsResponse);
        });
    }

    public static void MapVersion(IEndpointRouteBuilder v21)
    {
        // Matches /v2.1 and /v2.1/ alike (keystoneauth asks for the latter).
        v21.MapGet("/", Show);
    }

    private static IResult Show(HttpContext http, ComputeApiOptions options) =>
        Results.Json(new VersionResponse { Version = Describe(new ApiLinks(http.Request, options), withMediaTypes: true) }, ApiJson.Context.VersionResponse);

    private static ApiVersion Describe(ApiLinks links, bool withMediaTypes) => new()
    {
        Id = "v2.1",
        Status = "CURRENT",
        Version = Microversions.Format(Microversions.Maximum),
        MinVersion = Microversions.Format(Microversions.Minimum),
        Updated = Updated,
        Links = withMediaTypes
            ?
            [
                new Link { Rel = "self", Href = links.Versioned(string.Empty) },
                new Link { Rel = "describedby", Type = "text/html", Href = "http://docs.openstack.org/" },
            ]
            : [new Link { Rel = "self", Href = links.Versioned(string.Empty) }],
        MediaTypes = withMediaTypes
            ? [new MediaType { Base = "application/json", Type = "application/vnd.openstack.compute+json;version=2.1" }]
            : null,
    };
}

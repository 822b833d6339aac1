using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vireo.Api.Auth;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core.Compute;

namespace Vireo.Api.Flavors;

/// <summary>
/// <c>/v2.1/flavors</c>, every call through <see cref="ComputeService"/> (which keeps each
/// id and name meaning one flavor).
/// </summary>
internal static class FlavorEndpoints
{
    public static void Map(IEndpointRouteBuilder v21)
    {
        var flavors = v21.MapGroup("/flavors");
        flavors.MapGet("", ListAsync);
        flavors.MapGet("/detail", ListDetailAsync);
        flavors.MapGet("/{flavorRef}", ShowAsync);
        flavors.MapPost("", CreateAsync);
        flavors.MapDelete("/{flavorRef}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var flavors = FlavorRequests.Filter(await compute.ListFlavorsAsync(RequestContexts.Of(http), cancellationToken).ConfigureAwait(false), http.Request.Query);
        var links = new ApiLinks(http.Request, options);
        return Results.Json(new FlavorListResponse { Flavors = [.. flavors.Select(flavor => FlavorViews.Summary(flavor, links))] }, ApiJson.Context.FlavorListResponse);
    }

    private static async Task<IResult> ListDetailAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var flavors = FlavorRequests.Filter(await compute.ListFlavorsAsync(RequestContexts.Of(http), cancellationToken).ConfigureAwait(false), http.Request.Query);
        var links = new ApiLinks(http.Request, options);
        return Results.Json(new FlavorDetailListResponse { Flavors = [.. flavors.Select(flavor => FlavorViews.Detail(flavor, links))] }, ApiJson.Context.FlavorDetailListResponse);
    }

    private static async Task<IResult> ShowAsync(string flavorRef, HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var flavor = await compute.ShowFlavorAsync(flavorRef, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.Json(new FlavorResponse { Flavor = FlavorViews.Detail(flavor, new ApiLinks(http.Request, options)) }, ApiJson.Context.FlavorResponse);
    }

    /// <summary>Nova answers a flavor create with 200 and the flavor.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, FlavorRequests.CreateExample, cancellationToken).ConfigureAwait(false);
        var flavor = await compute.CreateFlavorAsync(FlavorRequests.ParseCreate(body), RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.Json(new FlavorResponse { Flavor = FlavorViews.Detail(flavor, new ApiLinks(http.Request, options)) }, ApiJson.Context.FlavorResponse);
    }

    private static async Task<IResult> DeleteAsync(string flavorRef, HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        await compute.DeleteFlavorAsync(flavorRef, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }
}

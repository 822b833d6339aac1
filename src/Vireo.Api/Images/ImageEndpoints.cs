using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vireo.Api.Auth;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Images;

/// <summary>
/// <c>/image/v2</c>: Glance v2's image list, show, create, data upload and download, and
/// delete, and Vireo's one-step import (<c>POST /image/v2/vireo-import?...</c> with the bytes as
/// the body). Data is streamed straight into the image store: never buffered whole, never a
/// path the client names.
/// </summary>
internal static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder v2)
    {
        v2.MapGet("/images", ListAsync);
        v2.MapGet("/images/{imageId}", ShowAsync);
        v2.MapDelete("/images/{imageId}", DeleteAsync);
        v2.MapPost("/images", CreateAsync);
        v2.MapPut("/images/{imageId}/file", UploadAsync);
        v2.MapGet("/images/{imageId}/file", DownloadAsync);
        v2.MapPost("/vireo-import", ImportAsync);
        v2.MapGet("/schemas/image", () => Results.Json(ImageSchemas.Image(), ApiJson.Context.JsonObject));
        v2.MapGet("/schemas/images", () => Results.Json(ImageSchemas.Images(), ApiJson.Context.JsonObject));
    }

    /// <summary>
    /// Glance's version discovery (<c>GET /image/</c> and <c>/image/versions</c>), which
    /// glanceclient and keystoneauth read before any call: one version, v2.9, CURRENT.
    /// </summary>
    public static void MapVersions(IEndpointRouteBuilder image)
    {
        IResult Versions(HttpContext http, ComputeApiOptions options) => Results.Json(
            new System.Text.Json.Nodes.JsonObject
            {
                ["versions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = "v2.9",
                    ["status"] = "CURRENT",
                    ["links"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                    {
                        ["rel"] = "self",
                        ["href"] = new ApiLinks(http.Request, options).Bookmark("image/v2/"),
                    }),
                }),
            },
            ApiJson.Context.JsonObject);
        image.MapGet("/", Versions);
        image.MapGet("/versions", Versions);
    }

    /// <summary>
    /// Glance's filters used by clients: <c>name</c> (exact), <c>status</c>, <c>id=in:a,b</c>, <c>visibility</c>
    /// and <c>owner</c>; the caller's list holds its own project's images, public ones and (with
    /// <c>visibility=community</c>) community ones; an admin's holds all.
    /// </summary>
    private static async Task<IResult> ListAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        ImageVisibility? visibility = null;
        if (query["visibility"].ToString() is { Length: > 0 } visibilityName && visibilityName != "all")
        {
            visibility = ImageVisibilities.TryParse(visibilityName)
                ?? throw ApiRequestException.BadRequest($"Invalid visibility value: {visibilityName}; use one of {string.Join(", ", ImageVisibilities.All)} or all");
        }

        var owner = query["owner"].ToString() is { Length: > 0 } ownerName ? ownerName : null;
        IEnumerable<ImageRecord> images = await compute.ListImagesAsync(new ImageListQuery(visibility, owner), RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        if (query["name"].ToString() is { Length: > 0 } name)
        {
            images = images.Where(image => string.Equals(image.Name, name, StringComparison.Ordinal));
        }

        if (query["status"].ToString() is { Length: > 0 } status)
        {
            images = images.Where(image => string.Equals(image.Status.ToGlance(), status, StringComparison.OrdinalIgnoreCase));
        }

        if (query["id"].ToString() is { Length: > 0 } ids)
        {
            var wanted = (ids.StartsWith("in:", StringComparison.Ordinal) ? ids[3..] : ids)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            images = images.Where(image => wanted.Contains(image.Id.ToString("D")));
        }

        return Results.Json(
            new ImageListResponse
            {
                Images = [.. images.Select(image => ImageViews.View(image, options))],
                First = ImageViews.ImagesPath,
                Schema = ImageViews.ImagesSchema,
            },
            ApiJson.Context.ImageListResponse);
    }

    private static async Task<IResult> ShowAsync(string imageId, HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var image = await compute.ShowImageAsync(imageId, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.Json(ImageViews.View(image, options), ApiJson.Context.ImageView);
    }

    private static async Task<IResult> DeleteAsync(string imageId, HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        await compute.DeleteImageAsync(imageId, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    /// <summary>Glance's <c>POST /v2/images</c>: a queued image, its data to follow.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, ImageCreateBody.Example, cancellationToken).ConfigureAwait(false);
        var image = await compute.RegisterImageAsync(ImageCreateBody.Parse(body), RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        var view = ImageViews.View(image, options);
        http.Response.Headers.Location = new ApiLinks(http.Request, options).Bookmark("image" + view.Self);
        return Results.Json(view, ApiJson.Context.ImageView, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Glance's <c>PUT /v2/images/{id}/file</c>: the data, checked before the image turns active; 204.</summary>
    private static async Task<IResult> UploadAsync(string imageId, HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        EnsureOctetStream(http.Request, "an upload");
        LimitBody(http, options.ImageSizeCapBytes);
        await compute.UploadImageAsync(imageId, http.Request.Body, progress: null, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    /// <summary>Glance's <c>GET /v2/images/{id}/file</c>: the stored bytes with Content-MD5; 204 while there are none.</summary>
    private static async Task<IResult> DownloadAsync(string imageId, HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        var (image, content) = await compute.OpenImageContentAsync(imageId, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return Results.NoContent();
        }

        if (image.Md5 is { } md5)
        {
            http.Response.Headers["Content-MD5"] = md5;
        }

        return Results.Stream(content, "application/octet-stream");
    }

    /// <summary>
    /// The bytes of an image come as application/octet-stream. The upload (PUT) may omit the type as
    /// Glance allows: a page cannot send a PUT cross-origin without a CORS preflight, which is refused.
    /// The import is a POST, which a page can send without a type and without a preflight, so it must name it.
    /// </summary>
    private static void EnsureOctetStream(HttpRequest request, string what, bool required = false)
    {
        if (required && string.IsNullOrEmpty(request.ContentType))
        {
            throw new ApiRequestException(
                StatusCodes.Status415UnsupportedMediaType,
                $"the request has no Content-Type header; send the image bytes of {what} with Content-Type: application/octet-stream");
        }

        if (!string.IsNullOrEmpty(request.ContentType)
            && !request.ContentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiRequestException(
                StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not supported for {what}; send the image bytes as application/octet-stream");
        }
    }

    /// <summary>Kestrel's limit sits this far above the cap: the store reads up to 1 MiB at a time and must see the byte over the cap first.</summary>
    private const long BodyLimitMarginBytes = 4L << 20;

    /// <summary>
    /// Images are larger than Kestrel's default body limit (30 MB) and bounded by Glance's
    /// image_size_cap instead: a declared Content-Length over the cap is refused before a byte is
    /// read; a body without one is cut by the store at the first byte over the cap, in Glance's
    /// words; Kestrel's limit a little above that is the backstop, and bounds what Kestrel drains
    /// of a refused body.
    /// </summary>
    private static void LimitBody(HttpContext http, long capBytes)
    {
        if (http.Request.ContentLength is { } declared && ImageLimits.IsOverCap(declared, capBytes))
        {
            throw ImageLimits.DeclaredSizeOverCap(declared, capBytes);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = capBytes > long.MaxValue - BodyLimitMarginBytes ? null : capBytes + BodyLimitMarginBytes;
        }
    }

    private static async Task<IResult> ImportAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var request = http.Request;
        EnsureOctetStream(request, "an import", required: true);
        var import = ImageImportQuery.Parse(request.Query);
        LimitBody(http, options.ImageSizeCapBytes);

        var image = await compute.ImportImageAsync(import, request.Body, progress: null, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        var view = ImageViews.View(image, options);
        http.Response.Headers.Location = new ApiLinks(request, options).Bookmark("image" + view.Self);
        return Results.Json(view, ApiJson.Context.ImageView, statusCode: StatusCodes.Status201Created);
    }
}

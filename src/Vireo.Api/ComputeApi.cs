using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Vireo.Api.Flavors;
using Vireo.Api.Http;
using Vireo.Api.Images;
using Vireo.Api.Servers;
using Vireo.Api.Versions;

namespace Vireo.Api;

/// <summary>
/// The OpenStack Compute API v2.1 subset (servers, flavors, version discovery) and the
/// Glance v2 image subset under <c>/image/v2</c>. The composition root registers the
/// compute service and its ports (<c>ComputeService</c>, <c>IFlavorStore</c>,
/// <c>IImageCatalog</c>, <c>IImageStore</c>, optionally <see cref="IConsoleLogReader"/>),
/// calls <see cref="AddComputeApi"/>, then <see cref="MapComputeApi"/> (on a WebApplication, which
/// also puts the API's fault boundary in front of routing).
/// </summary>
public static class ComputeApi
{
    /// <summary>The compute API's path prefix.</summary>
    public const string ComputePrefix = "/v2.1";

    /// <summary>The image API's path prefix (the image endpoint is <c>&lt;base&gt;/image</c>).</summary>
    public const string ImagePrefix = "/image/v2";

    public static IServiceCollection AddComputeApi(this IServiceCollection services, ComputeApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(options ?? new ComputeApiOptions());
        return services;
    }

    public static IEndpointRouteBuilder MapComputeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app is IApplicationBuilder pipeline)
        {
            // The fault boundary wraps routing too, so that nothing answers a 500 unlogged;
            // routing is placed after it explicitly (a host would otherwise put it first).
            pipeline.UseMiddleware<FaultBoundary>();
            pipeline.UseRouting();
        }

        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Vireo.Api");
        var errors = new ErrorFilter(logger);
        var text = new RequestTextFilter();

        var root = app.MapGroup(string.Empty);
        root.AddEndpointFilter(errors);
        VersionEndpoints.MapRoot(root);

        var v21 = app.MapGroup(ComputePrefix);
        v21.AddEndpointFilter(errors);
        v21.AddEndpointFilter(text);
        v21.AddEndpointFilter(new HeadersFilter(compute: true));
        VersionEndpoints.MapVersion(v21);
        ServerEndpoints.Map(v21);
        FlavorEndpoints.Map(v21);

        var imageRoot = app.MapGroup("/image");
        imageRoot.AddEndpointFilter(errors);
        ImageEndpoints.MapVersions(imageRoot);

        var images = app.MapGroup(ImagePrefix);
        images.AddEndpointFilter(errors);
        images.AddEndpointFilter(text);
        images.AddEndpointFilter(new HeadersFilter(compute: false));
        ImageEndpoints.Map(images);

        // Nova answers unknown paths with its own 404 body.
        app.MapFallback((HttpContext http) =>
            ApiFaults.Result(StatusCodes.Status404NotFound, $"the resource '{http.Request.Path}' could not be found"));
        return app;
    }
}

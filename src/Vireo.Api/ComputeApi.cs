using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Vireo.Api.Auth;
using Vireo.Api.Flavors;
using Vireo.Api.Http;
using Vireo.Api.Images;
using Vireo.Api.ImageCache;
using Vireo.Api.Orphans;
using Vireo.Api.Servers;
using Vireo.Api.Versions;

namespace Vireo.Api;

/// <summary>
/// The OpenStack Compute API v2.1 subset (servers, flavors, version discovery) and the
/// Glance v2 image subset under <c>/image/v2</c>. The composition root registers the
/// compute service (<c>ComputeService</c>, through which every endpoint reaches servers, flavors and
/// images with the caller's context; optionally an <c>IImageCacheManager</c> and a
/// <c>ServiceReadiness</c> that holds writes back until start-up reconciliation has run),
/// calls <see cref="AddComputeApi"/>, then <see cref="MapComputeApi"/> on a WebApplication, which
/// also puts the API's fault boundary and front door in front of routing.
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
        var apiOptions = options ?? new ComputeApiOptions();
        services.TryAddSingleton(apiOptions);

        // noauth2 unless the composition root registered another authenticator (Keystone) first.
        services.TryAddSingleton<IRequestAuthenticator>(new NoAuthAuthenticator(apiOptions.DefaultProjectId));

        // Whatever ASP.NET Core itself reads or writes as JSON (bound parameters, returned values) goes
        // through the API's generated metadata first, not reflection.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapComputeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var pipeline = app as IApplicationBuilder
            ?? throw new ArgumentException("the Compute API maps onto an application whose pipeline it can extend (a WebApplication)", nameof(app));
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Vireo.Api");
        var options = app.ServiceProvider.GetRequiredService<ComputeApiOptions>();

        // The fault boundary wraps everything after it, so that nothing answers a 500 unlogged; the front
        // door and authentication run before routing, so what they refuse reaches no endpoint; routing is
        // placed after them explicitly (a host would otherwise put it first).
        pipeline.UseMiddleware<FaultBoundary>();
        pipeline.Use(next => new FrontDoor(next, options.AllowedHosts, logger).InvokeAsync);
        var authenticator = app.ServiceProvider.GetRequiredService<IRequestAuthenticator>();
        pipeline.Use(next => new Authentication(next, authenticator, logger).InvokeAsync);
        pipeline.UseRouting();

        var errors = new ErrorFilter(logger);
        var readiness = new ReadinessFilter();
        var text = new RequestTextFilter();

        var root = app.MapGroup(string.Empty);
        root.AddEndpointFilter(errors);
        VersionEndpoints.MapRoot(root);

        var v21 = app.MapGroup(ComputePrefix);
        v21.AddEndpointFilter(errors);
        v21.AddEndpointFilter(text);
        v21.AddEndpointFilter(new HeadersFilter(compute: true));
        v21.AddEndpointFilter(readiness);
        VersionEndpoints.MapVersion(v21);
        ServerEndpoints.Map(v21);
        FlavorEndpoints.Map(v21);
        OrphanEndpoints.Map(v21);
        ImageCacheEndpoints.Map(v21);

        var imageRoot = app.MapGroup("/image");
        imageRoot.AddEndpointFilter(errors);
        ImageEndpoints.MapVersions(imageRoot);

        var images = app.MapGroup(ImagePrefix);
        images.AddEndpointFilter(errors);
        images.AddEndpointFilter(text);
        images.AddEndpointFilter(new HeadersFilter(compute: false));
        images.AddEndpointFilter(readiness);
        ImageEndpoints.Map(images);

        // Nova answers unknown paths with its own 404 body.
        app.MapFallback((HttpContext http) =>
            ApiFaults.Result(StatusCodes.Status404NotFound, $"the resource '{http.Request.Path}' could not be found"));
        return app;
    }
}

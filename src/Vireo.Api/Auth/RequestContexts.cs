using Microsoft.AspNetCore.Http;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Auth;

/// <summary>The caller of a request, put on it by <see cref="Authentication"/> before routing; endpoints read it here only.</summary>
public static class RequestContexts
{
    /// <summary>The request's caller; an endpoint reached without one is a wiring bug (500), never an anonymous caller.</summary>
    public static RequestContext Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Features.Get<RequestContext>()
            ?? throw new InvalidOperationException($"no caller on {http.Request.Method} {http.Request.Path}: the authentication step did not run before this endpoint");
    }

    internal static void Set(HttpContext http, RequestContext context) => http.Features.Set(context);
}

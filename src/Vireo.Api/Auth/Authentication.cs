using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vireo.Api.Http;

namespace Vireo.Api.Auth;

/// <summary>
/// Runs after the front door and before routing: every request but version discovery
/// (<c>GET /</c>, <c>/image</c>, <c>/image/versions</c>, as Nova's and Glance's pipelines leave them
/// unauthenticated) gets its caller from the authenticator, or is answered 401 (with
/// <c>WWW-Authenticate</c> when there is one) or 503.
/// </summary>
internal sealed partial class Authentication(RequestDelegate next, IRequestAuthenticator authenticator, ILogger logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (IsVersionDiscovery(http.Request))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var outcome = await authenticator.AuthenticateAsync(http.Request, RequestIds.For(http), http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case AuthOutcome.Authenticated authenticated:
                RequestContexts.Set(http, authenticated.Context);
                await next(http).ConfigureAwait(false);
                return;
            case AuthOutcome.Unauthorized unauthorized:
                LogUnauthorized(logger, http.Request.Method, http.Request.Path, unauthorized.Message);
                if (authenticator.WwwAuthenticate is { } challenge)
                {
                    http.Response.Headers.WWWAuthenticate = challenge;
                }

                await ApiFaults.Result(StatusCodes.Status401Unauthorized, unauthorized.Message).ExecuteAsync(http).ConfigureAwait(false);
                return;
            case AuthOutcome.Unavailable unavailable:
                LogUnavailable(logger, http.Request.Method, http.Request.Path, unavailable.Message);
                await ApiFaults.Result(StatusCodes.Status503ServiceUnavailable, unavailable.Message).ExecuteAsync(http).ConfigureAwait(false);
                return;
            default:
                throw new InvalidOperationException($"unknown authentication outcome {outcome.GetType().Name}");
        }
    }

    internal static bool IsVersionDiscovery(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var path = request.Path.Value?.TrimEnd('/') ?? string.Empty;
        return path.Length == 0
            || string.Equals(path, "/image", StringComparison.Ordinal)
            || string.Equals(path, "/image/versions", StringComparison.Ordinal);
    }

    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "401 {Method} {Path}: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "503 {Method} {Path}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vireo.Api.Http;

/// <summary>
/// Runs before routing, so a refused request reaches no endpoint: a Host header that is not one of
/// the service's names is refused (400, DNS rebinding), an OPTIONS request is refused (405: no CORS
/// preflight ever succeeds), and no response carries an Access-Control-* header, so a browser
/// never lets a page on another origin read an answer.
/// </summary>
internal sealed partial class FrontDoor(RequestDelegate next, HostAllowList hosts, ILogger logger)
{
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var host = request.Headers.Host.ToString();
        if (!hosts.Allows(host))
        {
            LogHostRefused(logger, host, request.Method, request.Path);
            return Refuse(http, StatusCodes.Status400BadRequest, host.Length == 0
                ? $"the request has no Host header; send one naming this service ({string.Join(", ", hosts.Names)}), or add its name to {HostAllowList.Option}"
                : $"the Host header '{host}' is not a name of this service; if a proxy or DNS name points here, add it to {HostAllowList.Option} (accepted now: {string.Join(", ", hosts.Names)})");
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            LogOptionsRefused(logger, request.Path, request.Headers.Origin.ToString());
            return Refuse(http, StatusCodes.Status405MethodNotAllowed,
                "this API answers no OPTIONS or cross-origin (CORS) requests; call it from the vireo command or an OpenStack client");
        }

        http.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            foreach (var name in headers.Keys.Where(IsCorsHeader).ToList())
            {
                headers.Remove(name);
            }

            return Task.CompletedTask;
        }, http.Response);
        return next(http);
    }

    internal static bool IsCorsHeader(string name) => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase);

    private static Task Refuse(HttpContext http, int status, string message) =>
        ApiFaults.Result(status, message).ExecuteAsync(http);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "refused {Method} {Path}: Host header '{Host}' is not a name of this service (a DNS rebinding page, or a name missing from [vireo] allowed_hosts)")]
    private static partial void LogHostRefused(ILogger logger, string host, string method, string path);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "refused OPTIONS {Path} (origin '{Origin}'): the API answers no CORS preflight")]
    private static partial void LogOptionsRefused(ILogger logger, string path, string origin);
}

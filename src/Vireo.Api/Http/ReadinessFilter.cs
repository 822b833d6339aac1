using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vireo.Core.Compute;

namespace Vireo.Api.Http;

/// <summary>
/// Refuses writes (anything but GET, HEAD and OPTIONS) with 503, a Retry-After header and Nova's
/// serviceUnavailable body until start-up reconciliation has run (<see cref="ServiceReadiness"/>):
/// reconciliation takes every build and task it finds as interrupted. Reads are served at once.
/// A host that registers no <see cref="ServiceReadiness"/> is always ready.
/// </summary>
internal sealed class ReadinessFilter : IEndpointFilter
{
    /// <summary>Seconds a client is told to wait; reconciliation normally takes well under that.</summary>
    public const int RetryAfterSeconds = 2;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsRead(http.Request.Method) && http.RequestServices.GetService<ServiceReadiness>() is { IsReady: false })
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return ApiFaults.Result(
                StatusCodes.Status503ServiceUnavailable,
                $"the service is starting and accepts {http.Request.Method} requests once start-up reconciliation has finished; retry in {RetryAfterSeconds} seconds");
        }

        return await next(context).ConfigureAwait(false);
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}

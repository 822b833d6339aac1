using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vireo.Core;

namespace Vireo.Api.Http;

/// <summary>
/// Turns failures into Nova's error bodies: a <see cref="VireoException"/> by its kind
/// (Core's <see cref="ErrorKinds"/>), a refused request by its status, anything else into a
/// 500 computeFault whose body names the request id and whose stack trace goes to the log only.
/// </summary>
internal sealed class ErrorFilter(ILogger logger) : IEndpointFilter
{
    private const string RetryAfterSeconds = "5";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (VireoException exception)
        {
            var presentation = ErrorKinds.Presentation(exception.Kind);
            if (presentation.HttpStatus >= 500)
            {
                logger.LogWarning(exception, "{Method} {Path} ({RequestId}) failed: {Message}", http.Request.Method, http.Request.Path, RequestIds.For(http), exception.Message);
            }

            if (presentation.HttpStatus == StatusCodes.Status503ServiceUnavailable)
            {
                // An outage (libvirt hung or down) is worth retrying shortly, as Retry-After tells a client.
                http.Response.Headers.RetryAfter = RetryAfterSeconds;
            }

            return ApiFaults.Result(presentation.HttpStatus, exception.Message);
        }
        catch (ApiRequestException exception)
        {
            return ApiFaults.Result(exception.Status, exception.Message);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own refusals: a body over the size limit, a body cut short.
            return ApiFaults.Result(exception.StatusCode, $"the request could not be read: {exception.Message}");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads an answer.
            return Results.Empty;
        }
        catch (Exception exception)
        {
            var requestId = RequestIds.For(http);
            logger.LogError(exception, "{Method} {Path} ({RequestId}) failed unexpectedly", http.Request.Method, http.Request.Path, requestId);
            return ApiFaults.Result(
                StatusCodes.Status500InternalServerError,
                $"the service failed unexpectedly while handling request {requestId}; its log has the details");
        }
    }
}

/// <summary>Answers the request id on every response; on the compute API also the microversion, refusing unsupported ones.</summary>
internal sealed class HeadersFilter(bool compute) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var requestId = RequestIds.For(http);
        http.Response.Headers[RequestIds.Header] = requestId;
        if (compute)
        {
            http.Response.Headers[RequestIds.ComputeHeader] = requestId;
            var (version, status, problem) = Microversions.Negotiate(http.Request.Headers);
            if (version is null)
            {
                return ApiFaults.Result(status, problem!);
            }

            Microversions.Echo(http.Response.Headers, version);
        }

        return await next(context).ConfigureAwait(false);
    }
}

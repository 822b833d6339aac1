using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vireo.Core;

namespace Vireo.Api.Http;

/// <summary>
/// Turns failures into Nova's error bodies: a <see cref="VireoException"/> by its kind
/// (Core's <see cref="ErrorKinds"/>), a refused request by its status, anything else into a
/// 500 computeFault whose body names the request id and whose stack trace goes to the log only.
/// A 5xx body never carries a host path (<see cref="ServerErrorText"/>); the log has the message whole.
/// </summary>
internal sealed partial class ErrorFilter(ILogger logger) : IEndpointFilter
{
    /// <summary>The Retry-After of a 503.</summary>
    public const string RetryAfterSeconds = "5";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a cancelled or cut upload shows as any kind of failure); nobody reads an answer.
            LogClientGone(logger, http.Request.Method, http.Request.Path, RequestIds.For(http), exception.GetType().Name, exception.Message);
            return Results.Empty;
        }
        catch (VireoException exception)
        {
            var presentation = ErrorKinds.Presentation(exception.Kind);
            if (presentation.HttpStatus == StatusCodes.Status503ServiceUnavailable)
            {
                // Unavailable is passing (a limit reached, libvirtd restarting): tell clients when to retry.
                http.Response.Headers.RetryAfter = RetryAfterSeconds;
            }

            if (presentation.HttpStatus < 500)
            {
                return ApiFaults.Result(presentation.HttpStatus, exception.Message);
            }

            var requestId = RequestIds.For(http);
            LogServiceFailure(logger, exception, http.Request.Method, http.Request.Path, requestId, exception.Kind, exception.Message);
            return ApiFaults.Result(presentation.HttpStatus, $"{ServerErrorText.Sanitize(exception.Message)} (request {requestId})");
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
        catch (Exception exception)
        {
            var requestId = RequestIds.For(http);
            LogUnexpected(logger, exception, http.Request.Method, http.Request.Path, requestId);
            return ApiFaults.Result(StatusCodes.Status500InternalServerError, FaultBoundary.UnexpectedMessage(requestId));
        }
    }

    [LoggerMessage(EventId = 4402, EventName = "http.service_failure", Level = LogLevel.Warning,
        Message = "{Method} {Path} ({RequestId}) failed ({Kind}): {Detail}")]
    private static partial void LogServiceFailure(ILogger logger, Exception exception, string method, PathString path, string requestId, ErrorKind kind, string detail);

    [LoggerMessage(EventId = 4404, EventName = "http.client_gone", Level = LogLevel.Information,
        Message = "{Method} {Path} ({RequestId}) ended after its client went away: {ExceptionType}: {Detail}")]
    private static partial void LogClientGone(ILogger logger, string method, PathString path, string requestId, string exceptionType, string detail);

    [LoggerMessage(EventId = 4403, EventName = "http.unexpected", Level = LogLevel.Error,
        Message = "{Method} {Path} ({RequestId}) failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path, string requestId);
}

/// <summary>
/// Every path and query parameter passes <see cref="RequestText"/> before an endpoint reads it:
/// route values as tokens (255 characters), query keys likewise, query values up to 4096.
/// </summary>
internal sealed class RequestTextFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        foreach (var (key, value) in request.RouteValues)
        {
            if (value is string text)
            {
                RequestText.Require(text, $"the path segment '{key}'", TextRule.Token);
            }
        }

        foreach (var (key, values) in request.Query)
        {
            RequestText.Require(key, "a query parameter name", TextRule.Token);
            foreach (var value in values)
            {
                RequestText.Require(value ?? string.Empty, $"the query parameter '{key}'", TextRule.QueryValue);
            }
        }

        return next(context);
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

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vireo.Api.Http;

/// <summary>The API's stable log event ids that operators and tests look for.</summary>
public static class ApiEvents
{
    /// <summary>A response with status 500 (whatever produced it); logged by <see cref="FaultBoundary"/> only.</summary>
    public const int ServerError = 4400;

    /// <summary>The name of <see cref="ServerError"/>, also the first word of its message.</summary>
    public const string ServerErrorName = "http.500";
}

/// <summary>
/// The middleware around the whole API pipeline (routing, binding, endpoint filters, Kestrel's
/// body reads): an exception nobody handled becomes Nova's 500 computeFault naming the request
/// id and nothing else, and every response with status 500, however produced, is logged once
/// with event <see cref="ApiEvents.ServerError"/>.
/// </summary>
internal sealed partial class FaultBoundary(RequestDelegate next, ILogger<FaultBoundary> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (Exception exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads an answer.
            LogClientGone(logger, http.Request.Method, http.Request.Path, RequestIds.For(http), exception.GetType().Name);
            return;
        }
        catch (BadHttpRequestException exception) when (!http.Response.HasStarted)
        {
            // Kestrel's own refusals (a body over the limit, cut short) met outside an endpoint filter.
            http.Response.Clear();
            await ApiFaults.Result(exception.StatusCode, $"the request could not be read: {exception.Message}").ExecuteAsync(http).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var requestId = RequestIds.For(http);
            LogUnhandled(logger, exception, http.Request.Method, http.Request.Path, requestId);
            if (http.Response.HasStarted)
            {
                // Part of the answer is out; only cutting the connection tells the client it is incomplete.
                LogServerError(logger, ApiEvents.ServerErrorName, http.Request.Method, http.Request.Path, requestId, StatusCodes.Status500InternalServerError);
                http.Abort();
                return;
            }

            http.Response.Clear();
            http.Response.Headers[RequestIds.Header] = requestId;
            await ApiFaults.Result(StatusCodes.Status500InternalServerError, UnexpectedMessage(requestId)).ExecuteAsync(http).ConfigureAwait(false);
        }

        if (http.Response.StatusCode == StatusCodes.Status500InternalServerError)
        {
            LogServerError(logger, ApiEvents.ServerErrorName, http.Request.Method, http.Request.Path, RequestIds.For(http), http.Response.StatusCode);
        }
    }

    /// <summary>The body of a 500 that no failure kind explains: the request id, nothing of the exception.</summary>
    public static string UnexpectedMessage(string requestId) =>
        $"the service failed unexpectedly while handling request {requestId}; its log has the details";

    [LoggerMessage(EventId = ApiEvents.ServerError, EventName = ApiEvents.ServerErrorName, Level = LogLevel.Error,
        Message = "{Marker}: {Method} {Path} ({RequestId}) answered {Status}")]
    private static partial void LogServerError(ILogger logger, string marker, string method, PathString path, string requestId, int status);

    [LoggerMessage(EventId = 4405, EventName = "http.client_gone_unhandled", Level = LogLevel.Information,
        Message = "{Method} {Path} ({RequestId}) ended with {ExceptionType} after its client went away")]
    private static partial void LogClientGone(ILogger logger, string method, PathString path, string requestId, string exceptionType);

    [LoggerMessage(EventId = 4401, EventName = "http.unhandled", Level = LogLevel.Error,
        Message = "{Method} {Path} ({RequestId}) failed with an exception no endpoint handled")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path, string requestId);
}

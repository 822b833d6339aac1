using Microsoft.AspNetCore.Http;
using Vireo.Api.Contracts;

namespace Vireo.Api.Http;

/// <summary>Nova's error bodies: <c>{"itemNotFound": {"code": 404, "message": "..."}}</c>.</summary>
public static class ApiFaults
{
    /// <summary>Nova's <c>Fault._fault_names</c> (<c>nova/api/openstack/wsgi.py</c>); any other status is a computeFault.</summary>
    private static readonly Dictionary<int, string> Names = new()
    {
        [400] = "badRequest",
        [401] = "unauthorized",
        [403] = "forbidden",
        [404] = "itemNotFound",
        [405] = "badMethod",
        [409] = "conflictingRequest",
        [413] = "overLimit",
        [415] = "badMediaType",
        [429] = "overLimit",
        [501] = "notImplemented",
        [503] = "serviceUnavailable",
    };

    public const string ComputeFault = "computeFault";

    public static string NameFor(int status) => Names.TryGetValue(status, out var name) ? name : ComputeFault;

    /// <summary>
    /// The error body. Messages quote what the client sent; a lone surrogate among it (which JSON
    /// cannot carry) is shown as U+FFFD rather than failing the answer.
    /// </summary>
    public static IResult Result(int status, string message) =>
        Results.Json(
            new Dictionary<string, FaultDetail>(StringComparer.Ordinal) { [NameFor(status)] = new FaultDetail { Code = status, Message = WellFormed(message) } },
            ApiJson.Context.DictionaryStringFaultDetail,
            contentType: "application/json",
            statusCode: status);

    /// <summary>The text with every lone surrogate replaced by U+FFFD.</summary>
    public static string WellFormed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}

/// <summary>A request the API refuses before reaching the compute service (malformed body, wrong media type).</summary>
public sealed class ApiRequestException : Exception
{
    public ApiRequestException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public ApiRequestException(int status, string message, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
    }

    public int Status { get; }

    public static ApiRequestException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}

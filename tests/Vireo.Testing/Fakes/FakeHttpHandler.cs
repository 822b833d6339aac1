using System.Net;

namespace Vireo.Testing.Fakes;

/// <summary>
/// An HTTP peer in memory: records every request (method, URL, headers, body text as sent) and answers
/// with <see cref="Respond"/>; <see cref="Unreachable"/> makes every send fail as a refused connection does.
/// </summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly List<Recorded> _requests = [];

    public sealed record Recorded(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? Body);

    /// <summary>The answer to a request (called after it is recorded).</summary>
    public Func<Recorded, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

    public bool Unreachable { get; set; }

    public IReadOnlyList<Recorded> Requests
    {
        get { lock (_requests) { return [.. _requests]; } }
    }

    /// <summary>A handler the caller may dispose without losing this one's record.</summary>
    public HttpMessageHandler Shared() => new NonDisposing(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Unreachable)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)");
        }

        var headers = request.Headers.ToDictionary(header => header.Key, header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var recorded = new Recorded(request.Method, request.RequestUri!, headers, body);
        lock (_requests)
        {
            _requests.Add(recorded);
        }

        var response = Respond(recorded);
        response.RequestMessage = request;
        return response;
    }

    /// <summary>Forwards to the fake; disposing it leaves the fake (and its record) alone.</summary>
    private sealed class NonDisposing(FakeHttpHandler inner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            inner.SendAsync(request, cancellationToken);
    }
}

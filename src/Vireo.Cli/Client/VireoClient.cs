using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vireo.Api.Http;
using Vireo.Cli.Client.Auth;

namespace Vireo.Cli.Client;

/// <summary>
/// The Vireo API over HTTP for client commands: compute calls under <c>/v2.1</c> with the
/// 2.1 microversion headers, image calls under <c>/image/v2</c>. Every failure becomes a
/// <see cref="ClientFailure"/> with one sentence and its exit code. Split per resource.
/// </summary>
public sealed partial class VireoClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ClientSetup _setup;
    private readonly string _display;
    private readonly IClientAuth _auth;

    /// <param name="auth">What every request sends as <c>X-Auth-Token</c>; null: noauth2 <c>admin:admin</c>.</param>
    public VireoClient(Uri baseUrl, ClientSetup setup, HttpMessageHandler? handler = null, IClientAuth? auth = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(setup);
        _setup = setup;
        _display = ServiceEndpoint.Display(baseUrl);
        handler ??= new SocketsHttpHandler { ConnectTimeout = setup.ConnectTimeout, AllowAutoRedirect = false };

        // Uploads run as long as they need; ordinary calls get RequestTimeout each.
        _auth = auth ?? NoAuthToken.Admin;
        _http = new HttpClient(new AuthHandler(_auth) { InnerHandler = handler }, disposeHandler: true)
        {
            BaseAddress = new Uri(_display + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("vireo-cli", typeof(VireoClient).Assembly.GetName().Version?.ToString() ?? "0"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The service's address as messages show it.</summary>
    public string ServiceDisplay => _display;

    public void Dispose()
    {
        _http.Dispose();
        _auth.Dispose();
    }

    private static HttpRequestMessage Compute(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri("v2.1/" + path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation(Microversions.Header, $"{Microversions.ServiceType} 2.1");
        request.Headers.TryAddWithoutValidation(Microversions.LegacyHeader, "2.1");
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, ApiJson.Options.GetTypeInfo(body.GetType())), Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static HttpRequestMessage Image(HttpMethod method, string path) =>
        new(method, new Uri("image/v2/" + path, UriKind.Relative));

    private static string Escape(string reference) => Uri.EscapeDataString(reference);

    /// <summary>Sends an ordinary call and reads its JSON answer as <typeparamref name="T"/>.</summary>
    private async Task<T> ReadAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_setup.RequestTimeout);
            using var response = await SendAsync(request, timeout.Token, cancellationToken).ConfigureAwait(false);
            return await ParseAsync<T>(response, timeout.Token, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends an ordinary call whose answer has no body worth reading.</summary>
    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_setup.RequestTimeout);
            using var response = await SendAsync(request, timeout.Token, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends; a refused connection or a silent service becomes exit 69, an error status its own exit code.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken token, CancellationToken callerToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw Unreachable(Reason(exception), exception);
        }
        catch (OperationCanceledException exception) when (!callerToken.IsCancellationRequested)
        {
            throw new ClientFailure(
                ExitCodes.Unavailable,
                $"the Vireo service at {_display} did not answer within {_setup.RequestTimeout.TotalSeconds:0} s; check that it is running (`vireo serve`) and not overloaded",
                exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorOfAsync(response, token).ConfigureAwait(false);
        }
    }

    private async Task<T> ParseAsync<T>(HttpResponseMessage response, CancellationToken token, CancellationToken callerToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, ApiJson.TypeInfo<T>(), token).ConfigureAwait(false)
                ?? throw new JsonException("the body is null");
        }
        catch (JsonException exception)
        {
            throw new ClientFailure(
                ExitCodes.Internal,
                $"the service at {_display} answered {(int)response.StatusCode} with a body this client does not understand ({exception.Message}); is it a Vireo service of the same version?",
                exception);
        }
        catch (HttpRequestException exception)
        {
            throw Unreachable("the connection broke while reading the answer", exception);
        }
        catch (OperationCanceledException exception) when (!callerToken.IsCancellationRequested)
        {
            throw new ClientFailure(ExitCodes.Unavailable, $"the Vireo service at {_display} stopped answering half-way", exception);
        }
    }

    /// <summary>The message of Nova's error body (<c>{"itemNotFound": {"code": 404, "message": "..."}}</c>) with the status's exit code.</summary>
    private async Task<ClientFailure> ErrorOfAsync(HttpResponseMessage response, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        string? message = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var fault in document.RootElement.EnumerateObject())
                {
                    if (fault.Value.ValueKind == JsonValueKind.Object && fault.Value.TryGetProperty("message", out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        message = value.GetString();
                        break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or OperationCanceledException)
        {
            // Not Nova's body (a proxy's page, say); the status says enough.
            message = null;
        }

        message ??= $"the service at {_display} answered {status} {response.ReasonPhrase}";
        if (status == 401)
        {
            // The service validates Keystone tokens and refused this one (a new token was tried once already).
            message = _auth is NoAuthToken
                ? $"{message.TrimEnd('.')}; the service at {_display} wants a Keystone token: set OS_CLOUD (clouds.yaml) or OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME"
                : $"{message.TrimEnd('.')}; the service at {_display} refused a new Keystone token too: check that it validates tokens against the same Keystone";
        }

        return new ClientFailure(ClientFailure.ExitCodeFor(status), message);
    }

    private ClientFailure Unreachable(string reason, Exception exception) =>
        new(ExitCodes.Unavailable, $"the Vireo service at {_display} is not reachable ({reason}); start it with `vireo serve`", exception);

    private static string Reason(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.Message,
                };
            }
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host not found",
            HttpRequestError.ConnectionError => "connection failed",
            HttpRequestError.ResponseEnded => "the connection closed before an answer",
            HttpRequestError.SecureConnectionError => "TLS failed: " + exception.Message,
            _ => exception.Message,
        };
    }
}

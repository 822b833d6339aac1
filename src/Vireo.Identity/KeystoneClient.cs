using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Vireo.Identity;

/// <summary>A domain named by its id or by its name (keystoneauth's user_domain_id / user_domain_name).</summary>
public sealed record KeystoneDomain
{
    private KeystoneDomain(string? id, string? name)
    {
        Id = id;
        Name = name;
    }

    public string? Id { get; }

    public string? Name { get; }

    public static KeystoneDomain ById(string id) => new(id, null);

    public static KeystoneDomain ByName(string name) => new(null, name);

    public override string ToString() => Id is not null ? "id " + Id : Name!;
}

/// <summary>The user, project and domains of a password authentication scoped to a project.</summary>
public sealed record PasswordCredentials(string Username, string Password, KeystoneDomain UserDomain, string ProjectName, KeystoneDomain ProjectDomain)
{
    public override string ToString() => $"user {Username} (domain {UserDomain}) in project {ProjectName} (domain {ProjectDomain})";
}

/// <summary>
/// The Identity API v3 token calls, the one place the project speaks them: issuing a project-scoped
/// token for a password or a token (<c>POST /v3/auth/tokens</c>, for the service itself and for the CLI) and validating someone else's token with it (<c>GET /v3/auth/tokens</c>
/// with <c>X-Auth-Token</c> = the service's token and <c>X-Subject-Token</c> = the one to check), as
/// keystonemiddleware/auth_token/_identity.py does. Every failure is a <see cref="KeystoneReply{T}"/>,
/// never an exception, except the caller's own cancellation.
/// </summary>
public sealed class KeystoneClient
{
    public const string AuthTokenHeader = "X-Auth-Token";
    public const string SubjectTokenHeader = "X-Subject-Token";

    private readonly HttpClient http;
    private readonly TimeSpan timeout;

    /// <param name="http">Sends the requests; its own timeout should be longer than <paramref name="timeout"/>.</param>
    /// <param name="authUrl">Keystone's URL, with or without the <c>/v3</c> suffix.</param>
    /// <param name="timeout">How long one call may take before it counts as no answer.</param>
    public KeystoneClient(HttpClient http, Uri authUrl, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(authUrl);
        this.http = http;
        this.timeout = timeout;
        AuthUrl = authUrl;
        TokensUrl = new Uri(V3(authUrl), "auth/tokens");
    }

    public Uri AuthUrl { get; }

    /// <summary>The tokens resource, <c>&lt;auth_url&gt;/v3/auth/tokens</c>.</summary>
    public Uri TokensUrl { get; }

    /// <summary>The v3 root with a trailing slash: auth_url as given when it ends in /v3, else auth_url + /v3.</summary>
    public static Uri V3(Uri authUrl)
    {
        ArgumentNullException.ThrowIfNull(authUrl);
        var text = authUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(text.EndsWith("/v3", StringComparison.Ordinal) ? text + "/" : text + "/v3/");
    }

    /// <summary>A token for the credentials, scoped to their project; without the catalogue (not needed here).</summary>
    public Task<KeystoneReply<IssuedToken>> IssueTokenAsync(PasswordCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return IssueTokenAsync(
            new TokenRequest(
                new AuthMethod.Password(KeystoneRef.ByName(credentials.Username, credentials.UserDomain), credentials.Password),
                KeystoneRef.ByName(credentials.ProjectName, credentials.ProjectDomain),
                IncludeCatalog: false),
            cancellationToken);
    }

    /// <summary>
    /// A project-scoped token for <paramref name="request"/>'s password or token (<c>POST /v3/auth/tokens</c>,
    /// with <c>?nocatalog</c> unless the catalog is asked for). The password or token sent never appears in a
    /// refusal or failure reason (Keystone's messages may quote a token).
    /// </summary>
    public async Task<KeystoneReply<IssuedToken>> IssueTokenAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var identity = request.Method switch
        {
            AuthMethod.Password password => new AuthIdentity(["password"], new PasswordMethod(new PasswordUser(password.User.Id, password.User.Name, Domain(password.User.Domain), password.Value)), null),
            AuthMethod.Token token => new AuthIdentity(["token"], null, new TokenMethod(token.Value)),
            _ => throw new ArgumentException($"unknown authentication method {request.Method.GetType().Name}", nameof(request)),
        };
        var body = new AuthRequest(new AuthBody(identity, new AuthScope(new ScopeProject(request.Project.Id, request.Project.Name, Domain(request.Project.Domain)))));
        var json = JsonSerializer.Serialize(body, IdentityJsonContext.Default.AuthRequest);
        var url = request.IncludeCatalog ? TokensUrl : new Uri(TokensUrl + "?nocatalog");
        var reply = await SendAsync<IssuedToken>(() => new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, (response, json) =>
        {
            var issued = response.Headers.TryGetValues(SubjectTokenHeader, out var values) ? values.FirstOrDefault() : null;
            if (string.IsNullOrEmpty(issued))
            {
                return new KeystoneReply<IssuedToken>.Unreachable($"the answer to POST {TokensUrl} has no {SubjectTokenHeader} header", UnreachableCause.NotAToken);
            }

            var tokenBody = KeystoneToken.ReadBody(json, out var readProblem);
            var token = KeystoneToken.FromBody(tokenBody, out var problem, readProblem);
            return token is null
                ? new KeystoneReply<IssuedToken>.Unreachable($"the answer to POST {TokensUrl} is not a token: {problem}", UnreachableCause.NotAToken)
                : new KeystoneReply<IssuedToken>.Answered(new IssuedToken(issued, token, tokenBody!.Catalog ?? []));
        }, cancellationToken).ConfigureAwait(false);

        var secret = request.Method.Secret;
        return reply switch
        {
            KeystoneReply<IssuedToken>.Refused r => r with { Detail = TokenText.Redact(r.Detail, secret) },
            KeystoneReply<IssuedToken>.Unreachable u => u with { Reason = TokenText.Redact(u.Reason, secret) },
            _ => reply,
        };
    }

    /// <summary>What Keystone says about <paramref name="subjectToken"/>, asked with <paramref name="serviceToken"/>.</summary>
    public async Task<KeystoneReply<KeystoneToken>> ValidateTokenAsync(string serviceToken, string subjectToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serviceToken);
        ArgumentNullException.ThrowIfNull(subjectToken);
        var reply = await SendAsync<KeystoneToken>(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(TokensUrl + "?nocatalog"));
            request.Headers.TryAddWithoutValidation(AuthTokenHeader, serviceToken);
            request.Headers.TryAddWithoutValidation(SubjectTokenHeader, subjectToken);
            return request;
        }, (_, json) =>
        {
            var token = KeystoneToken.Parse(json, out var problem);
            return token is null
                ? new KeystoneReply<KeystoneToken>.Unreachable($"the answer to GET {TokensUrl} is not a token: {problem}", UnreachableCause.NotAToken)
                : new KeystoneReply<KeystoneToken>.Answered(token);
        }, cancellationToken).ConfigureAwait(false);

        // Keystone's messages may quote the tokens ("Could not find token: <token>."): never pass them on.
        return reply switch
        {
            KeystoneReply<KeystoneToken>.Refused r => r with { Detail = TokenText.Redact(r.Detail, serviceToken, subjectToken) },
            KeystoneReply<KeystoneToken>.Unreachable u => u with { Reason = TokenText.Redact(u.Reason, serviceToken, subjectToken) },
            _ => reply,
        };
    }

    /// <summary>
    /// The outcome of a status other than success: a 4xx is Keystone's refusal, a 5xx (or anything
    /// else) says nothing about the credentials, so it counts as no answer.
    /// </summary>
    public static KeystoneReply<T> Classify<T>(HttpStatusCode status, string body, Uri url, HttpMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var code = (int)status;
        var detail = ErrorMessage(body) ?? status.ToString();
        return code is >= 400 and < 500
            ? new KeystoneReply<T>.Refused(status, detail)
            : new KeystoneReply<T>.Unreachable($"{method} {url} answered {code.ToString(CultureInfo.InvariantCulture)} {detail}", UnreachableCause.ServerError);
    }

    /// <summary>Keystone's <c>{"error": {"message"}}</c>, shortened; null when the body is not that.</summary>
    internal static string? ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize(body, IdentityJsonContext.Default.ErrorResponse)?.Error?.Message;
            return message is null ? null : message.Length <= 300 ? message : message[..300] + "…";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>How many times a request whose answer was cut short is sent (<see cref="IsCutShort"/>).</summary>
    internal const int Attempts = 3;

    private static readonly TimeSpan CutShortPause = TimeSpan.FromMilliseconds(200);

    private async Task<KeystoneReply<T>> SendAsync<T>(Func<HttpRequestMessage> build, Func<HttpResponseMessage, string, KeystoneReply<T>> read, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                return response.IsSuccessStatusCode
                    ? read(response, body)
                    : Classify<T>(response.StatusCode, body, request.RequestUri!, request.Method);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new KeystoneReply<T>.Unreachable($"no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", UnreachableCause.Timeout);
            }
            catch (HttpRequestException e) when (attempt < Attempts && IsCutShort(e))
            {
                // Sent again after a pause: both calls are safe to repeat (a second token, a second look).
                await Task.Delay(CutShortPause, deadline.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                return new KeystoneReply<T>.Unreachable(Describe(e), UnreachableCause.Connection);
            }
        }
    }

    /// <summary>
    /// An answer that ended before it was whole. keystone-wsgi-public (a single-threaded wsgiref server
    /// answering HTTP/1.0) does this now and then to a request that follows another at once, after it
    /// has handled it; a proxy restarting does it too.
    /// </summary>
    internal static bool IsCutShort(HttpRequestException exception) =>
        exception.HttpRequestError == HttpRequestError.ResponseEnded
        || exception.InnerException is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded };

    private static DomainRef? Domain(KeystoneDomain? domain) => domain is null ? null : new(domain.Id, domain.Name);

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => $"{socket.SocketErrorCode}: {e.Message}",
        { } inner => $"{e.Message} ({inner.Message})",
        null => e.Message,
    };
}

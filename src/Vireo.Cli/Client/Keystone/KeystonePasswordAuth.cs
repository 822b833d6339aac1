using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vireo.Cli.Client.Auth;

namespace Vireo.Cli.Client.Keystone;

/// <summary>
/// Asks Keystone for a project-scoped token: <c>POST {auth_url}/v3/auth/tokens</c> with the password
/// or token method (api-ref identity v3, "Password authentication with scoped authorization");
/// 201 carries the token in <c>X-Subject-Token</c> and <c>token.expires_at</c> and <c>token.catalog</c>
/// in the body. Failures are <see cref="ClientFailure"/>s: refused credentials exit 78, Keystone
/// unreachable or failing exit 69. Neither the password nor the token appears in any message.
/// </summary>
public sealed class KeystonePasswordAuth : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public KeystonePasswordAuth(TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        _timeout = timeout;
        handler ??= new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), AllowAutoRedirect = false };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A new token for <paramref name="credentials"/> (a Keystone password or token).</summary>
    public async Task<IssuedToken> IssueAsync(ClientCredentials credentials, CancellationToken cancellationToken)
    {
        var (scope, identity, who) = credentials switch
        {
            ClientCredentials.KeystonePassword password => (password.Scope, new AuthIdentity(
                ["password"],
                new PasswordMethod(new UserRef(password.User.Id, password.User.Name, DomainOf(password.User), password.Password.Reveal())),
                null), $"user {password.User.Display} in project {password.Scope.Project.Display}"),
            ClientCredentials.KeystoneToken token => (token.Scope, new AuthIdentity(["token"], null, new TokenMethod(token.Token.Reveal())), $"the given token for project {token.Scope.Project.Display}"),
            _ => throw new ArgumentException("only Keystone credentials get a token", nameof(credentials)),
        };
        var secretOrigin = credentials is ClientCredentials.KeystonePassword p ? p.SecretOrigin : ((ClientCredentials.KeystoneToken)credentials).SecretOrigin;
        var origin = credentials.Origin;
        var body = new AuthRequest(new AuthBody(identity, new AuthScope(new ProjectRef(scope.Project.Id, scope.Project.Name, DomainOf(scope.Project)))));
        var url = new Uri(scope.AuthUrl.AbsoluteUri.TrimEnd('/') + "/auth/tokens");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, KeystoneJsonContext.Default.AuthRequest), Encoding.UTF8, "application/json"),
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new ClientFailure(ExitCodes.Unavailable, $"Keystone at {scope.AuthUrl} is not reachable ({exception.HttpRequestError switch { HttpRequestError.ConnectionError => "connection failed", HttpRequestError.NameResolutionError => "host not found", _ => exception.Message }}); check the auth URL (from {origin}) and that Keystone runs", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClientFailure(ExitCodes.Unavailable, $"Keystone at {scope.AuthUrl} did not answer within {_timeout.TotalSeconds:0} s; check that it runs and is not overloaded", exception);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ClientFailure(
                    ExitCodes.Configuration,
                    $"Keystone at {scope.AuthUrl} refused the credentials of {who} (from {origin}); check {secretOrigin} and the user, project and domain names");
            }

            if (status >= 500)
            {
                throw new ClientFailure(ExitCodes.Unavailable, $"Keystone at {scope.AuthUrl} failed to issue a token ({status} {response.ReasonPhrase}); look at Keystone's log and try again");
            }

            if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
            {
                throw new ClientFailure(
                    ExitCodes.Configuration,
                    $"Keystone at {scope.AuthUrl} answered {status} {response.ReasonPhrase} to the token request for {who} (from {origin}); check the auth URL and the user, project and domain names");
            }

            var token = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.FirstOrDefault() : null;
            TokenResponse? parsed;
            try
            {
                parsed = await JsonSerializer.DeserializeAsync(
                    await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false),
                    KeystoneJsonContext.Default.TokenResponse,
                    timeout.Token).ConfigureAwait(false);
            }
            catch (JsonException exception)
            {
                throw new ClientFailure(ExitCodes.Unavailable, $"Keystone at {scope.AuthUrl} answered {status} with a body that is not a token document; is {scope.AuthUrl} Keystone's v3 URL?", exception);
            }

            if (string.IsNullOrEmpty(token) || parsed?.Token is not { ExpiresAt: { } expiresAt } issued)
            {
                throw new ClientFailure(ExitCodes.Unavailable, $"Keystone at {scope.AuthUrl} answered {status} without X-Subject-Token or token.expires_at; is {scope.AuthUrl} Keystone's v3 URL?");
            }

            return new IssuedToken(new Secret(token), expiresAt, issued.Catalog ?? []);
        }
    }

    private static DomainRef? DomainOf(NamedInDomain named) =>
        named.Id is null && (named.DomainId ?? named.DomainName) is not null ? new DomainRef(named.DomainId, named.DomainName) : null;
}

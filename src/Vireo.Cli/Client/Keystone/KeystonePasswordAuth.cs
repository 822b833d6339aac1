using System.Globalization;
using System.Net;
using Vireo.Cli.Client.Auth;
using Vireo.Identity;

namespace Vireo.Cli.Client.Keystone;

/// <summary>
/// Gets the CLI a project-scoped token with the catalog through Identity's <see cref="KeystoneClient"/>
/// (the one place that speaks Keystone's token API): client credentials become a <see cref="TokenRequest"/>
/// (password or token method) and Keystone's reply a token or a <see cref="ClientFailure"/>: refused
/// credentials exit 78, Keystone unreachable or failing exit 69. Neither the password nor the token
/// appears in any message.
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
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A new token for <paramref name="credentials"/> (a Keystone password or token).</summary>
    public async Task<IssuedToken> IssueAsync(ClientCredentials credentials, CancellationToken cancellationToken)
    {
        var (scope, method, who, secretOrigin) = credentials switch
        {
            ClientCredentials.KeystonePassword password => (
                password.Scope,
                (AuthMethod)new AuthMethod.Password(RefOf(password.User), password.Password.Reveal()),
                $"user {password.User.Display} in project {password.Scope.Project.Display}",
                password.SecretOrigin),
            ClientCredentials.KeystoneToken token => (
                token.Scope,
                new AuthMethod.Token(token.Token.Reveal()),
                $"the given token for project {token.Scope.Project.Display}",
                token.SecretOrigin),
            _ => throw new ArgumentException("only Keystone credentials get a token", nameof(credentials)),
        };
        var keystone = new KeystoneClient(_http, scope.AuthUrl, _timeout);
        var reply = await keystone.IssueTokenAsync(new TokenRequest(method, RefOf(scope.Project), IncludeCatalog: true), cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            KeystoneReply<Identity.IssuedToken>.Answered { Value: var issued } => new IssuedToken(new Secret(issued.Value), issued.Token.ExpiresAt, issued.Catalog),
            KeystoneReply<Identity.IssuedToken>.Refused { Status: HttpStatusCode.Unauthorized } => throw new ClientFailure(
                ExitCodes.Configuration,
                $"Keystone at {scope.AuthUrl} refused the credentials of {who} (from {credentials.Origin}); check {secretOrigin} and the user, project and domain names"),
            KeystoneReply<Identity.IssuedToken>.Refused refused => throw new ClientFailure(
                ExitCodes.Configuration,
                $"Keystone at {scope.AuthUrl} answered {refused} to the token request for {who} (from {credentials.Origin}); check the auth URL and the user, project and domain names"),
            KeystoneReply<Identity.IssuedToken>.Unreachable failed => throw Unavailable(failed, scope, credentials.Origin),
            _ => throw new InvalidOperationException($"unknown reply {reply.GetType().Name}"),
        };
    }

    private ClientFailure Unavailable(KeystoneReply<Identity.IssuedToken>.Unreachable failed, KeystoneScope scope, string origin) => new(
        ExitCodes.Unavailable,
        failed.Cause switch
        {
            UnreachableCause.Connection => $"Keystone at {scope.AuthUrl} is not reachable ({failed.Reason}); check the auth URL (from {origin}) and that Keystone runs",
            UnreachableCause.Timeout => $"Keystone at {scope.AuthUrl} did not answer within {_timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s; check that it runs and is not overloaded",
            UnreachableCause.ServerError => $"Keystone at {scope.AuthUrl} failed to issue a token ({failed.Reason}); look at Keystone's log and try again",
            _ => $"Keystone at {scope.AuthUrl} did not answer with a token ({failed.Reason}); is {scope.AuthUrl} Keystone's v3 URL?",
        });

    /// <summary>An id stands alone; a name carries its domain, by id or by name, when one is given.</summary>
    private static KeystoneRef RefOf(NamedInDomain named) => named.Id is { } id
        ? KeystoneRef.ById(id)
        : KeystoneRef.ByName(
            named.Name ?? throw new ArgumentException("a Keystone user or project needs an id or a name", nameof(named)),
            named.DomainId is { } domainId ? KeystoneDomain.ById(domainId) : named.DomainName is { } domainName ? KeystoneDomain.ByName(domainName) : null);
}

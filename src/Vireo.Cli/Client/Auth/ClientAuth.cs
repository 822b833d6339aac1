using Vireo.Cli.Client.Keystone;

namespace Vireo.Cli.Client.Auth;

/// <summary>What each request to the service sends as <c>X-Auth-Token</c>, and a second chance when the service refuses it.</summary>
public interface IClientAuth : IDisposable
{
    /// <summary>The value of <c>X-Auth-Token</c>.</summary>
    ValueTask<string> TokenAsync(CancellationToken cancellationToken);

    /// <summary>The service answered 401: get a new token; false when there is none to try.</summary>
    ValueTask<bool> RenewAsync(CancellationToken cancellationToken);
}

/// <summary>noauth2: <c>user:project</c> on every request, nothing to renew.</summary>
public sealed class NoAuthToken(ClientCredentials.NoAuth credentials) : IClientAuth
{
    public static NoAuthToken Admin { get; } = new(ClientCredentials.NoAuth.Admin);

    public ValueTask<string> TokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials.Header);

    public ValueTask<bool> RenewAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public void Dispose()
    {
        // Nothing held.
    }
}

/// <summary>
/// A Keystone token for one command: the cached one while fresh, else a new one from Keystone (kept in
/// the cache); when the service refuses it, the cached file is dropped and one new token is fetched.
/// </summary>
public sealed class KeystoneSession : IClientAuth
{
    private readonly ClientCredentials _credentials;
    private readonly KeystonePasswordAuth _keystone;
    private readonly TokenCache _cache;
    private readonly TimeProvider _clock;
    private readonly Action<string> _note;
    private readonly string _key;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IssuedToken? _current;
    private bool _renewed;

    public KeystoneSession(ClientCredentials credentials, KeystonePasswordAuth keystone, TokenCache cache, TimeProvider clock, Action<string> note)
    {
        _credentials = credentials;
        _keystone = keystone;
        _cache = cache;
        _clock = clock;
        _note = note;
        _key = TokenCache.KeyOf(credentials);
    }

    /// <summary>The token in use: this command's, the cache's while fresh, or a new one.</summary>
    public async Task<IssuedToken> CurrentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } current && current.IsFreshAt(_clock.GetUtcNow()))
            {
                return current;
            }

            _current = _cache.Read(_key, _note) ?? await IssueAsync(cancellationToken).ConfigureAwait(false);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<string> TokenAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken).ConfigureAwait(false)).Token.Reveal();

    public async ValueTask<bool> RenewAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_renewed)
            {
                return false;
            }

            _renewed = true;
            _cache.Drop(_key);
            _current = await IssueAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _keystone.Dispose();
        _gate.Dispose();
    }

    private async Task<IssuedToken> IssueAsync(CancellationToken cancellationToken)
    {
        var issued = await _keystone.IssueAsync(_credentials, cancellationToken).ConfigureAwait(false);
        _cache.Write(_key, issued, _note);
        return issued;
    }
}

/// <summary>
/// Puts <c>X-Auth-Token</c> on every request; on a 401 asks <see cref="IClientAuth.RenewAsync"/> once and
/// sends again, when the body can be sent twice (a streamed upload cannot: its 401 stands).
/// </summary>
public sealed class AuthHandler(IClientAuth auth) : DelegatingHandler
{
    public const string Header = "X-Auth-Token";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(Header);
        request.Headers.TryAddWithoutValidation(Header, await auth.TokenAsync(cancellationToken).ConfigureAwait(false));
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized
            || request.Content is not (null or ByteArrayContent)
            || !await auth.RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            return response;
        }

        response.Dispose();
        request.Headers.Remove(Header);
        request.Headers.TryAddWithoutValidation(Header, await auth.TokenAsync(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

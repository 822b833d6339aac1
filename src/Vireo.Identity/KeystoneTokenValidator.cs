using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Vireo.Identity;

/// <summary>
/// Validates callers' tokens the way keystonemiddleware/auth_token/__init__.py does: with a token of
/// the service's own (issued for its password credentials, scoped to its project, re-issued before it
/// expires or when Keystone stops accepting it), <c>GET /v3/auth/tokens</c> for each caller's token,
/// and the verdicts cached (<see cref="TokenCache"/>) up to the cache time.
/// </summary>
public sealed partial class KeystoneTokenValidator : IDisposable
{
    /// <summary>The service's token is re-issued when less than this is left of it (keystoneauth's minimum token life).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(120);

    private readonly KeystoneClient client;
    private readonly PasswordCredentials credentials;
    private readonly TimeSpan cacheTime;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TokenCache cache;
    private readonly SemaphoreSlim issuing = new(1, 1);
    private IssuedToken? serviceToken;

    public KeystoneTokenValidator(KeystoneClient client, PasswordCredentials credentials, TimeSpan cacheTime, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        this.client = client;
        this.credentials = credentials;
        this.cacheTime = cacheTime;
        this.time = time;
        this.logger = logger;
        cache = new TokenCache(time);
    }

    public Uri AuthUrl => client.AuthUrl;

    /// <summary>The verdict on a caller's token: from the cache while it holds one, else from Keystone.</summary>
    public async Task<TokenVerdict> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (cache.Get(token) is { } cached)
        {
            return cached;
        }

        var (service, failure) = await ServiceTokenAsync(rejected: null, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var reply = await client.ValidateTokenAsync(service!.Value, token, cancellationToken).ConfigureAwait(false);
        if (reply is KeystoneReply<KeystoneToken>.Refused { Status: HttpStatusCode.Unauthorized })
        {
            // Keystone no longer takes the service's token (revoked, keys rotated): a new one, once.
            LogServiceTokenRejected(logger, TokenText.Prefix(service.Value));
            (service, failure) = await ServiceTokenAsync(rejected: service, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            reply = await client.ValidateTokenAsync(service!.Value, token, cancellationToken).ConfigureAwait(false);
        }

        var verdict = Conclude(reply, time.GetUtcNow());
        if (verdict is TokenVerdict.ServiceRefused refused)
        {
            LogServiceRefused(logger, client.AuthUrl, credentials.Username, credentials.ProjectName, refused.Reason);
        }

        cache.Put(token, verdict, cacheTime);
        return verdict;
    }

    /// <summary>The verdict of one validation answer (a 401 here means the service's own token was not accepted).</summary>
    public static TokenVerdict Conclude(KeystoneReply<KeystoneToken> reply, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply switch
        {
            KeystoneReply<KeystoneToken>.Answered { Value: var token } when token.ExpiresAt <= now =>
                new TokenVerdict.Invalid($"the token expired at {token.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)}"),
            KeystoneReply<KeystoneToken>.Answered answered => new TokenVerdict.Valid(answered.Value),
            KeystoneReply<KeystoneToken>.Refused { Status: HttpStatusCode.Unauthorized } r =>
                new TokenVerdict.ServiceRefused($"the service's own token is not accepted for validating tokens ({r})"),
            KeystoneReply<KeystoneToken>.Refused { Status: HttpStatusCode.Forbidden } r =>
                new TokenVerdict.ServiceRefused($"the service user may not validate tokens ({r}); give it the admin or service role in its project"),
            KeystoneReply<KeystoneToken>.Refused r => new TokenVerdict.Invalid($"the identity service does not accept it ({r})"),
            KeystoneReply<KeystoneToken>.Unreachable u => new TokenVerdict.IdentityUnavailable(u.Reason),
            _ => throw new InvalidOperationException($"unknown reply {reply.GetType().Name}"),
        };
    }

    /// <summary>The verdict when issuing the service's own token did not work; null when it did.</summary>
    public static TokenVerdict? ConcludeIssue(KeystoneReply<IssuedToken> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply switch
        {
            KeystoneReply<IssuedToken>.Answered => null,
            KeystoneReply<IssuedToken>.Refused r => new TokenVerdict.ServiceRefused($"its password authentication was refused ({r})"),
            KeystoneReply<IssuedToken>.Unreachable u => new TokenVerdict.IdentityUnavailable(u.Reason),
            _ => throw new InvalidOperationException($"unknown reply {reply.GetType().Name}"),
        };
    }

    /// <summary>Whether the service's token can still be used (more than <see cref="RefreshMargin"/> left).</summary>
    public static bool IsFresh(IssuedToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Token.ExpiresAt - now > RefreshMargin;
    }

    public void Dispose() => issuing.Dispose();

    private async Task<(IssuedToken? Token, TokenVerdict? Failure)> ServiceTokenAsync(IssuedToken? rejected, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref serviceToken);
        if (Usable(current, rejected))
        {
            return (current, null);
        }

        await issuing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = serviceToken;
            if (Usable(current, rejected))
            {
                return (current, null);
            }

            var reply = await client.IssueTokenAsync(credentials, cancellationToken).ConfigureAwait(false);
            var failure = ConcludeIssue(reply);
            if (failure is TokenVerdict.ServiceRefused refused)
            {
                LogServiceRefused(logger, client.AuthUrl, credentials.Username, credentials.ProjectName, refused.Reason);
            }

            if (failure is not null)
            {
                return (null, failure);
            }

            var issued = ((KeystoneReply<IssuedToken>.Answered)reply).Value;
            Volatile.Write(ref serviceToken, issued);
            LogServiceTokenIssued(logger, TokenText.Prefix(issued.Value), credentials.Username, credentials.ProjectName, issued.Token.ExpiresAt);
            return (issued, null);
        }
        finally
        {
            issuing.Release();
        }
    }

    private bool Usable(IssuedToken? token, IssuedToken? rejected) =>
        token is not null && !ReferenceEquals(token, rejected) && IsFresh(token, time.GetUtcNow());

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "service token {TokenPrefix}… issued to {Username} in project {ProjectName}, valid until {ExpiresAt:O}")]
    private static partial void LogServiceTokenIssued(ILogger logger, string tokenPrefix, string username, string projectName, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "the identity service no longer accepts the service token {TokenPrefix}…; issuing a new one")]
    private static partial void LogServiceTokenRejected(ILogger logger, string tokenPrefix);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "the identity service at {AuthUrl} refused this service's own credentials (user {Username}, project {ProjectName}): {Reason}; check [keystone_authtoken] username, password and project_name")]
    private static partial void LogServiceRefused(ILogger logger, Uri authUrl, string username, string projectName, string reason);
}

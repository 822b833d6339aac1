using Microsoft.AspNetCore.Http;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Auth;

/// <summary>
/// Turns a request's credentials (its <c>X-Auth-Token</c>) into the caller's
/// <see cref="RequestContext"/>: noauth2 without <c>[keystone_authtoken]</c>, Keystone with it.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>The <c>WWW-Authenticate</c> value of a 401 (Keystone's URI), or null when none is sent.</summary>
    string? WwwAuthenticate { get; }

    ValueTask<AuthOutcome> AuthenticateAsync(HttpRequest request, string requestId, CancellationToken cancellationToken);
}

/// <summary>What authenticating a request gave: a caller, a refusal (401), or no answer from the identity service (503).</summary>
public abstract record AuthOutcome
{
    private AuthOutcome()
    {
    }

    public sealed record Authenticated(RequestContext Context) : AuthOutcome;

    /// <summary>Missing, malformed, expired or revoked credentials: 401 with the reason.</summary>
    public sealed record Unauthorized(string Message) : AuthOutcome;

    /// <summary>The identity service could not be asked: 503 with the reason.</summary>
    public sealed record Unavailable(string Message) : AuthOutcome;
}

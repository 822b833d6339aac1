using Microsoft.AspNetCore.Http;
using Vireo.Core.Tenancy;
using Vireo.Identity;

namespace Vireo.Api.Auth;

/// <summary>
/// <c>[keystone_authtoken]</c> configured: every request (version discovery aside) needs an
/// <c>X-Auth-Token</c> that Keystone validates (keystonemiddleware/auth_token/__init__.py). A missing,
/// unknown, expired or revoked token is a 401 with <c>WWW-Authenticate: Keystone uri="..."</c>;
/// Keystone not answering, or refusing the service's own credentials, a 503; never a 500.
/// </summary>
/// <param name="validator">Asks Keystone (and caches its verdicts).</param>
/// <param name="wwwAuthenticateUri">Where clients get tokens: <c>www_authenticate_uri</c>, else <c>auth_url</c>.</param>
/// <param name="username">The service user (<c>[keystone_authtoken] username</c>), named in a 503 about its credentials.</param>
/// <param name="projectName">The service project (<c>[keystone_authtoken] project_name</c>), likewise.</param>
public sealed class KeystoneAuthenticator(KeystoneTokenValidator validator, Uri wwwAuthenticateUri, string username, string projectName) : IRequestAuthenticator
{
    // As configured, not normalized (keystonemiddleware/auth_token/__init__.py sends 'Keystone uri="%s"' with the option's text).
    private readonly string publicUri = wwwAuthenticateUri.OriginalString;
    private readonly string authUrl = validator.AuthUrl.OriginalString;

    public string? WwwAuthenticate { get; } = $"Keystone uri=\"{wwwAuthenticateUri.OriginalString}\"";

    public async ValueTask<AuthOutcome> AuthenticateAsync(HttpRequest request, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Headers[NoAuthAuthenticator.TokenHeader].ToString().Trim();
        if (token.Length == 0)
        {
            return new AuthOutcome.Unauthorized(
                $"the request has no {NoAuthAuthenticator.TokenHeader} header; get a token from the identity service at {publicUri} (e.g. 'openstack token issue') and send it as {NoAuthAuthenticator.TokenHeader}");
        }

        if (token.Length > MaxTokenLength || token.Any(c => char.IsControl(c) || c > '~'))
        {
            return new AuthOutcome.Unauthorized(
                $"the {NoAuthAuthenticator.TokenHeader} header ({TokenText.Prefix(token)}…) is not a token (more than {MaxTokenLength} characters or not printable ASCII); get a token from the identity service at {publicUri}");
        }

        var verdict = await validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        return Outcome(verdict, token, requestId);
    }

    /// <summary>A Keystone token is a few hundred characters (fernet about 200); more is not one.</summary>
    public const int MaxTokenLength = 8192;

    /// <summary>The pure rule: a verdict on the caller's token to an outcome of the request.</summary>
    public AuthOutcome Outcome(TokenVerdict verdict, string token, string requestId)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(token);
        var shown = TokenText.Prefix(token) + "…";
        return verdict switch
        {
            TokenVerdict.Valid { Token: var t } => Context(t, requestId) is { } context
                ? new AuthOutcome.Authenticated(context)
                : new AuthOutcome.Unauthorized(
                    $"the token {shown} is not scoped to a project (an unscoped, domain or system token); get a project-scoped token from the identity service at {publicUri} (e.g. 'openstack token issue' with OS_PROJECT_NAME set)"),
            TokenVerdict.Invalid invalid => new AuthOutcome.Unauthorized(
                $"the token {shown} is not valid ({invalid.Reason}): it is unknown, expired or revoked; get a new one from the identity service at {publicUri}"),
            TokenVerdict.IdentityUnavailable unavailable => new AuthOutcome.Unavailable(
                $"the identity service at {authUrl} did not answer ({unavailable.Reason}); try again, or check [keystone_authtoken] auth_url"),
            TokenVerdict.ServiceRefused refused => new AuthOutcome.Unavailable(
                $"the identity service at {authUrl} refused this service's own credentials ({refused.Reason}); the operator must check [keystone_authtoken] username = {username}, project_name = {projectName} and password"),
            _ => throw new InvalidOperationException($"unknown verdict {verdict.GetType().Name}"),
        };
    }

    /// <summary>The caller a project-scoped token names (Nova's context from keystonemiddleware's X-User-Id, X-Project-Id, X-Roles); null for any other token.</summary>
    public static RequestContext? Context(KeystoneToken token, string requestId)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.ProjectId is null ? null : new RequestContext(requestId, token.UserId, token.ProjectId, token.Roles);
    }
}

using Microsoft.AspNetCore.Http;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Auth;

/// <summary>
/// Nova's noauth2 (nova/api/openstack/auth.py NoAuthMiddleware): <c>X-Auth-Token: user:project</c>
/// names the caller (a token without a colon is both), and the user <c>admin</c> holds the admin
/// role. A request without a token is the operator on loopback: <c>admin</c> in the default project.
/// </summary>
public sealed class NoAuthAuthenticator(string defaultProjectId) : IRequestAuthenticator
{
    public const string TokenHeader = "X-Auth-Token";

    public string? WwwAuthenticate => null;

    public ValueTask<AuthOutcome> AuthenticateAsync(HttpRequest request, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(Authenticate(request.Headers[TokenHeader].ToString(), requestId, defaultProjectId));
    }

    /// <summary>The pure rule: a token (or none) to a caller or a refusal.</summary>
    public static AuthOutcome Authenticate(string token, string requestId, string defaultProjectId)
    {
        token = token.Trim();
        if (token.Length == 0)
        {
            return new AuthOutcome.Authenticated(Context(requestId, RequestContext.AdminRole, defaultProjectId));
        }

        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? token : token[..colon];
        var project = colon < 0 ? token : token[(colon + 1)..];
        if (project.Length == 0)
        {
            project = user;
        }

        if (user.Length == 0 || user.Length > 255 || project.Length > 255 || token.Any(char.IsControl))
        {
            return new AuthOutcome.Unauthorized($"the {TokenHeader} header '{Printable(token)}' is not a noauth2 token; send 'user:project' (e.g. 'admin:admin'), each 1-255 characters");
        }

        return new AuthOutcome.Authenticated(Context(requestId, user, project));
    }

    private static RequestContext Context(string requestId, string user, string project) =>
        new(requestId, user, project, string.Equals(user, RequestContext.AdminRole, StringComparison.Ordinal) ? [RequestContext.AdminRole] : ["member"]);

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

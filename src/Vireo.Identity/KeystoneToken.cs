using System.Globalization;
using System.Text.Json;

namespace Vireo.Identity;

/// <summary>What a Keystone token says about its holder: user, project (null when not scoped to one), role names and expiry.</summary>
public sealed record KeystoneToken(string UserId, string? ProjectId, IReadOnlyList<string> Roles, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Reads a v3 token body (<c>{"token": {"user": {"id"}, "project": {"id"}, "roles": [{"name"}], "expires_at"}}</c>);
    /// null, with the reason, when it lacks a user id or a readable expiry.
    /// </summary>
    public static KeystoneToken? Parse(string json, out string? problem)
    {
        var body = ReadBody(json, out var readProblem);
        return FromBody(body, out problem, readProblem);
    }

    /// <summary>The <c>token</c> object of a body; null, with the reason, when the body is not JSON.</summary>
    internal static TokenBody? ReadBody(string json, out string? problem)
    {
        problem = null;
        try
        {
            return JsonSerializer.Deserialize(json, IdentityJsonContext.Default.TokenResponse)?.Token;
        }
        catch (JsonException e)
        {
            problem = "the token body is not JSON: " + e.Message;
            return null;
        }
    }

    internal static KeystoneToken? FromBody(TokenBody? body, out string? problem, string? readProblem = null)
    {
        if (body is null)
        {
            problem = readProblem ?? "the answer has no token object";
            return null;
        }

        if (string.IsNullOrWhiteSpace(body.User?.Id))
        {
            problem = "the token has no user id";
            return null;
        }

        if (!TryParseTime(body.ExpiresAt, out var expires))
        {
            problem = $"the token's expires_at '{body.ExpiresAt}' is not an ISO 8601 time";
            return null;
        }

        var project = string.IsNullOrWhiteSpace(body.Project?.Id) ? null : body.Project.Id;
        var roles = (body.Roles ?? []).Select(r => r.Name).OfType<string>().Where(n => n.Length > 0).ToList();
        problem = null;
        return new KeystoneToken(body.User.Id, project, roles, expires);
    }

    /// <summary>Keystone writes <c>2026-12-08T00:14:04.000000Z</c> (microseconds, UTC).</summary>
    internal static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}

/// <summary>
/// A token issued to a user: the token itself (secret: never logged whole), what it says, and the
/// service catalog that came with it (empty when asked for without it).
/// </summary>
public sealed record IssuedToken(string Value, KeystoneToken Token, IReadOnlyList<CatalogService> Catalog)
{
    public IssuedToken(string value, KeystoneToken token)
        : this(value, token, [])
    {
    }

    public override string ToString() => $"token {TokenText.Prefix(Value)}… of user {Token.UserId} until {Token.ExpiresAt:O}";
}

/// <summary>How to show a token where a log or a message needs one: its first 8 characters at most.</summary>
public static class TokenText
{
    public static string Prefix(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var head = token.Length <= 8 ? token : token[..8];
        return new string(head.Select(c => char.IsControl(c) || c > '~' ? '?' : c).ToArray());
    }

    /// <summary>The text with each token in it replaced by its prefix (Keystone's "Could not find token: ..." names the token).</summary>
    public static string Redact(string text, params ReadOnlySpan<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var token in tokens)
        {
            if (token.Length > 0)
            {
                text = text.Replace(token, Prefix(token) + "…", StringComparison.Ordinal);
            }
        }

        return text;
    }
}

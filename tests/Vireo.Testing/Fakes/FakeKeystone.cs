using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vireo.Testing.Fakes;

/// <summary>
/// An in-memory Keystone behind an HttpMessageHandler: the two Identity v3 calls a service makes
/// (POST /v3/auth/tokens for the service user's password, GET /v3/auth/tokens to validate a token),
/// with tokens that expire on the given clock and can be revoked, and switches for an outage
/// (<see cref="Failure"/>) or any other answer (<see cref="Override"/>). The integration tests check
/// the same behaviour against a real Keystone.
/// </summary>
public sealed class FakeKeystone(TimeProvider time) : HttpMessageHandler
{
    public const string ServiceUser = "nova";
    public const string ServiceProject = "service";
    public const string ServiceProjectId = "5e4d1ce0000000000000000000000001";

    private readonly Dictionary<string, Token> tokens = new(StringComparer.Ordinal);
    private readonly List<string> calls = [];
    private int next;

    public string ServicePassword { get; set; } = "service-secret";

    /// <summary>How long a token the service gets lives.</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Thrown by every call while set (connection refused, say).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Answers instead of the fake while it returns non-null.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Override { get; set; }

    /// <summary>The calls made, as "POST /v3/auth/tokens".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (tokens)
            {
                return [.. calls];
            }
        }
    }

    public int Issues => Calls.Count(c => c.StartsWith("POST", StringComparison.Ordinal));

    public int Validations => Calls.Count(c => c.StartsWith("GET", StringComparison.Ordinal));

    /// <summary>The last body POSTed to /v3/auth/tokens.</summary>
    public string? LastIssueBody { get; private set; }

    /// <summary>A token of a user; <paramref name="projectId"/> null: not scoped to a project.</summary>
    public string AddToken(string userId, string? projectId, IReadOnlyList<string> roles, TimeSpan lifetime)
    {
        lock (tokens)
        {
            var value = "gAAAAAB" + (next++).ToString("D6", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N");
            tokens[value] = new Token(userId, projectId, roles, time.GetUtcNow() + lifetime, Service: false);
            return value;
        }
    }

    public void Revoke(string token)
    {
        lock (tokens)
        {
            tokens[token] = tokens[token] with { Revoked = true };
        }
    }

    /// <summary>Revokes every token issued to the service (as a key rotation would invalidate them).</summary>
    public void RevokeServiceTokens()
    {
        lock (tokens)
        {
            foreach (var (key, token) in tokens.Where(t => t.Value.Service).ToList())
            {
                tokens[key] = token with { Revoked = true };
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        lock (tokens)
        {
            calls.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            if (request.Method == HttpMethod.Post)
            {
                LastIssueBody = body;
            }
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        if (Override?.Invoke(request) is { } overridden)
        {
            return overridden;
        }

        if (!request.RequestUri!.AbsolutePath.EndsWith("/v3/auth/tokens", StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.NotFound, "The resource could not be found.");
        }

        lock (tokens)
        {
            return request.Method == HttpMethod.Post ? Issue(body) : request.Method == HttpMethod.Get ? Validate(request) : Error(HttpStatusCode.MethodNotAllowed, "not allowed");
        }
    }

    private HttpResponseMessage Issue(string body)
    {
        var auth = JsonNode.Parse(body)?["auth"];
        var user = auth?["identity"]?["password"]?["user"];
        var project = auth?["scope"]?["project"];
        if (user?["name"]?.GetValue<string>() != ServiceUser || user?["password"]?.GetValue<string>() != ServicePassword
            || !IsDefaultDomain(user?["domain"]) || !IsDefaultDomain(project?["domain"]) || project?["name"]?.GetValue<string>() != ServiceProject)
        {
            return Error(HttpStatusCode.Unauthorized, "The request you have made requires authentication.");
        }

        var value = "gAAAAABs" + (next++).ToString("D6", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N");
        var token = new Token("nova-user-id", ServiceProjectId, ["admin"], time.GetUtcNow() + ServiceTokenLifetime, Service: true);
        tokens[value] = token;
        var response = Json(HttpStatusCode.Created, Body(token));
        response.Headers.Add("X-Subject-Token", value);
        return response;
    }

    private HttpResponseMessage Validate(HttpRequestMessage request)
    {
        var service = Header(request, "X-Auth-Token");
        if (service is null || !tokens.TryGetValue(service, out var caller) || !Live(caller) || !caller.Service)
        {
            return Error(HttpStatusCode.Unauthorized, "The request you have made requires authentication.");
        }

        var subject = Header(request, "X-Subject-Token");
        return subject is not null && tokens.TryGetValue(subject, out var token) && Live(token)
            ? Json(HttpStatusCode.OK, Body(token))
            : Error(HttpStatusCode.NotFound, $"Could not find token: {subject}.");
    }

    private static bool IsDefaultDomain(JsonNode? domain) =>
        domain?["name"]?.GetValue<string>() == "Default" || domain?["id"]?.GetValue<string>() == "default";

    private bool Live(Token token) => !token.Revoked && token.ExpiresAt > time.GetUtcNow();

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static JsonObject Body(Token token)
    {
        var inner = new JsonObject
        {
            ["methods"] = new JsonArray("password"),
            ["user"] = new JsonObject { ["id"] = token.UserId, ["name"] = token.UserId, ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
            ["expires_at"] = token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["issued_at"] = "2026-01-01T00:00:00.000000Z",
        };
        if (token.ProjectId is not null)
        {
            inner["project"] = new JsonObject { ["id"] = token.ProjectId, ["name"] = token.ProjectId, ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } };
            inner["roles"] = new JsonArray([.. token.Roles.Select(r => (JsonNode)new JsonObject { ["id"] = r + "-id", ["name"] = r })]);
        }

        return new JsonObject { ["token"] = inner };
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = (int)status, ["message"] = message, ["title"] = status.ToString() } });

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private sealed record Token(string UserId, string? ProjectId, IReadOnlyList<string> Roles, DateTimeOffset ExpiresAt, bool Service, bool Revoked = false);
}

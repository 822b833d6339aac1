using System.Diagnostics;
using System.Globalization;
using Vireo.Identity;

namespace Vireo.IntegrationTests.Keystone;

/// <summary>
/// A real Keystone on loopback (scripts/keystone), started once for the collection into its own
/// directory and always stopped. Its admin and the `nova` service user come from DIR/keystone.env.
/// Nothing is skipped: when Keystone cannot start the tests fail with the script's error.
/// </summary>
public sealed class KeystoneFixture : IDisposable
{
    private static readonly string Script = Path.Combine(TestImage.RepositoryRoot, "scripts", "keystone");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromMinutes(1) };

    public KeystoneFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vireo-it-keystone-").FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }

        StartTime = clock.Elapsed;
        var env = File.ReadAllLines(Path.Combine(Directory, "keystone.env"))
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        AuthUrl = new Uri(env["OS_AUTH_URL"]);
        Port = int.Parse(env["KEYSTONE_PORT"], CultureInfo.InvariantCulture);
        AdminPassword = env["OS_PASSWORD"];
        NovaPassword = env["NOVA_PASSWORD"];
        Client = new KeystoneClient(http, AuthUrl, TimeSpan.FromSeconds(30));
    }

    public string Directory { get; }

    public TimeSpan StartTime { get; }

    /// <summary>http://127.0.0.1:PORT/v3.</summary>
    public Uri AuthUrl { get; } = new("http://127.0.0.1/");

    public int Port { get; }

    public string AdminPassword { get; } = "";

    public string NovaPassword { get; } = "";

    public KeystoneClient Client { get; }

    /// <summary>
    /// The [keystone_authtoken] section scripts/tempest writes (auth_url without /v3), with the given
    /// token_cache_time and optionally another password for the service user.
    /// </summary>
    public string Section(int tokenCacheTime, string? novaPassword = null) => $"""
        [keystone_authtoken]
        www_authenticate_uri = http://127.0.0.1:{Port}
        auth_url = http://127.0.0.1:{Port}
        auth_type = password
        project_domain_name = Default
        user_domain_name = Default
        project_name = service
        username = nova
        password = {novaPassword ?? NovaPassword}
        token_cache_time = {tokenCacheTime}
        """;

    /// <summary>A new token of Keystone's admin, scoped to the admin project.</summary>
    public async Task<string> AdminTokenAsync()
    {
        var reply = await Client.IssueTokenAsync(
            new PasswordCredentials("admin", AdminPassword, KeystoneDomain.ByName("Default"), "admin", KeystoneDomain.ByName("Default")), CancellationToken.None);
        return reply is KeystoneReply<IssuedToken>.Answered answered
            ? answered.Value.Value
            : throw new InvalidOperationException($"Keystone did not issue the admin a token: {reply}");
    }

    /// <summary>Revokes a token in Keystone (DELETE /v3/auth/tokens, as `openstack token revoke` does).</summary>
    public async Task RevokeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Client.TokensUrl);
        request.Headers.TryAddWithoutValidation(KeystoneClient.AuthTokenHeader, await AdminTokenAsync());
        request.Headers.TryAddWithoutValidation(KeystoneClient.SubjectTokenHeader, token);
        using var response = await http.SendAsync(request);
        ((int)response.StatusCode).ShouldBe(204, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Starts Keystone (again) on its directory: same port, same users, earlier tokens still valid.</summary>
    public void Start() => Processes.Run(Script, ["start", Directory], TimeSpan.FromMinutes(5));

    public void Stop() => Processes.Run(Script, ["stop", Directory], TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            http.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KeystoneCollection : ICollectionFixture<KeystoneFixture>
{
    public const string Name = "keystone";
}

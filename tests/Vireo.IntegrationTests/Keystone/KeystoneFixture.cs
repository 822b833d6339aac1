using System.Diagnostics;
using System.Globalization;
using Vireo.Identity;

namespace Vireo.IntegrationTests.Keystone;

/// <summary>
/// A real Keystone on loopback (scripts/keystone: Debian's python3-keystone, sqlite WAL, fernet), started
/// once for the collection or class that uses it into its own directory, and always stopped and removed.
/// Its admin and `nova` credentials are read from the script's keystone.env and never printed. Nothing is
/// skipped: when Keystone cannot start, the tests fail with the script's error.
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
            Settings = File.ReadAllLines(Path.Combine(Directory, "keystone.env"))
                .Where(line => line.Contains('=', StringComparison.Ordinal))
                .Select(line => line.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        }
        catch
        {
            Dispose();
            throw;
        }

        StartTime = clock.Elapsed;
        Client = new KeystoneClient(http, new Uri(AuthUrl), TimeSpan.FromSeconds(30));
    }

    public string Directory { get; }

    /// <summary>How long the first start took (a fresh bootstrap).</summary>
    public TimeSpan StartTime { get; }

    /// <summary>keystone.env: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, ... NOVA_PASSWORD, KEYSTONE_PORT.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Keystone's v3 URL (http://127.0.0.1:PORT/v3).</summary>
    public string AuthUrl => Settings["OS_AUTH_URL"];

    public int Port => int.Parse(Settings["KEYSTONE_PORT"], CultureInfo.InvariantCulture);

    public string AdminPassword => Settings["OS_PASSWORD"];

    public string NovaPassword => Settings["NOVA_PASSWORD"];

    /// <summary>Keystone's v3 calls (Vireo.Identity), for tokens of the admin.</summary>
    public KeystoneClient Client { get; } = null!;

    /// <summary>The admin's OS_* variables, as the openstack client and vireo read them.</summary>
    public IReadOnlyDictionary<string, string> AdminEnvironment =>
        Settings.Where(pair => pair.Key.StartsWith("OS_", StringComparison.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>A <c>[keystone_authtoken]</c> section for a service validating tokens as the <c>nova</c> user (what scripts/tempest writes).</summary>
    public string AuthTokenSection => Section(tokenCacheTime: null);

    /// <summary>
    /// The same section with a token_cache_time (null: the default) and optionally another password for
    /// the service user.
    /// </summary>
    public string Section(int? tokenCacheTime, string? novaPassword = null) => string.Create(CultureInfo.InvariantCulture, $"""

        [keystone_authtoken]
        www_authenticate_uri = http://127.0.0.1:{Port}
        auth_url = http://127.0.0.1:{Port}
        auth_type = password
        project_domain_name = Default
        user_domain_name = Default
        project_name = service
        username = nova
        password = {novaPassword ?? NovaPassword}
        {(tokenCacheTime is { } seconds ? $"token_cache_time = {seconds}" : "")}
        """);

    /// <summary>Registers compute (URL/v2.1) and image (URL/image) endpoints, replacing earlier ones.</summary>
    public void Register(Uri vireoUrl) =>
        Processes.Run(Script, ["register", Directory, vireoUrl.GetLeftPart(UriPartial.Authority)], TimeSpan.FromMinutes(3));

    /// <summary>A new token of Keystone's admin, scoped to the admin project.</summary>
    public async Task<string> AdminTokenAsync()
    {
        var reply = await Client.IssueTokenAsync(
            new PasswordCredentials("admin", AdminPassword, KeystoneDomain.ByName("Default"), "admin", KeystoneDomain.ByName("Default")), CancellationToken.None);
        return reply is KeystoneReply<IssuedToken>.Answered answered
            ? answered.Value.Value
            : throw new InvalidOperationException($"Keystone did not issue the admin a token: {reply}");
    }

    /// <summary>
    /// A new project with a new user holding Keystone's <c>member</c> role in it (`scripts/keystone member`),
    /// and that user's project-scoped token: a non-admin caller of its own project.
    /// </summary>
    public async Task<(string UserId, string ProjectId, string Token)> CreateMemberAsync(string name)
    {
        Processes.Run(Script, ["member", Directory, name], TimeSpan.FromMinutes(3));
        var password = File.ReadAllText(Path.Combine(Directory, $"member-{name}.password")).Trim();
        var reply = await Client.IssueTokenAsync(
            new PasswordCredentials(name, password, KeystoneDomain.ByName("Default"), name, KeystoneDomain.ByName("Default")), CancellationToken.None);
        return reply is KeystoneReply<IssuedToken>.Answered { Value: var issued }
            ? (issued.Token.UserId, issued.Token.ProjectId!, issued.Value)
            : throw new InvalidOperationException($"Keystone did not issue {name} a token: {reply}");
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
    public void Start() => Processes.Run(Script, ["start", Directory], TimeSpan.FromMinutes(10));

    public void Stop() => Processes.Run(Script, ["stop", Directory], TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException exception)
        {
            // Never started (the start failed): nothing to stop, the directory goes anyway.
            Console.Error.WriteLine($"scripts/keystone stop: {exception.Message}");
        }
        finally
        {
            http.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

/// <summary>The tests that share one Keystone (and may stop and start it).</summary>
[CollectionDefinition(Name)]
public sealed class KeystoneCollection : ICollectionFixture<KeystoneFixture>
{
    public const string Name = "keystone";
}

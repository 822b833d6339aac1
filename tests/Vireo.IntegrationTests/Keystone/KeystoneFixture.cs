using System.Diagnostics;
using System.Globalization;

namespace Vireo.IntegrationTests.Keystone;

/// <summary>
/// A real Keystone on loopback (scripts/keystone: Debian's python3-keystone, sqlite WAL, fernet), started
/// once for the class that uses it and always stopped and removed. Its admin credentials are read from
/// the script's keystone.env and never printed. Nothing is skipped: when Keystone cannot start, the tests
/// fail with the script's error.
/// </summary>
public sealed class KeystoneFixture : IDisposable
{
    private static readonly string Script = Path.Combine(TestImage.RepositoryRoot, "scripts", "keystone");

    public KeystoneFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vireo-it-keystone-").FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            Processes.Run(Script, ["start", Directory], TimeSpan.FromMinutes(10));
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
    }

    public string Directory { get; }

    public TimeSpan StartTime { get; }

    /// <summary>keystone.env: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, ... NOVA_PASSWORD, KEYSTONE_PORT.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Keystone's v3 URL (http://127.0.0.1:PORT/v3).</summary>
    public string AuthUrl => Settings["OS_AUTH_URL"];

    /// <summary>The admin's OS_* variables, as the openstack client and vireo read them.</summary>
    public IReadOnlyDictionary<string, string> AdminEnvironment =>
        Settings.Where(pair => pair.Key.StartsWith("OS_", StringComparison.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>A <c>[keystone_authtoken]</c> section for a service validating tokens as the <c>nova</c> user.</summary>
    public string AuthTokenSection => string.Create(CultureInfo.InvariantCulture, $"""

        [keystone_authtoken]
        www_authenticate_uri = http://127.0.0.1:{Settings["KEYSTONE_PORT"]}
        auth_url = http://127.0.0.1:{Settings["KEYSTONE_PORT"]}
        auth_type = password
        project_domain_name = Default
        user_domain_name = Default
        project_name = service
        username = nova
        password = {Settings["NOVA_PASSWORD"]}
        """);

    /// <summary>Registers compute (URL/v2.1) and image (URL/image) endpoints, replacing earlier ones.</summary>
    public void Register(Uri vireoUrl) =>
        Processes.Run(Script, ["register", Directory, vireoUrl.GetLeftPart(UriPartial.Authority)], TimeSpan.FromMinutes(3));

    public void Dispose()
    {
        try
        {
            Processes.Run(Script, ["stop", Directory], TimeSpan.FromMinutes(1));
        }
        catch (InvalidOperationException exception)
        {
            // Never started (the start failed): nothing to stop, the directory goes anyway.
            Console.Error.WriteLine($"scripts/keystone stop: {exception.Message}");
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

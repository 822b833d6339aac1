using System.Diagnostics;
using System.Text.Json;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Keystone;

/// <summary>
/// The client side against a real Keystone: `vireo` with OS_CLOUD (a clouds.yaml found through
/// XDG_CONFIG_HOME) and with nothing set (noauth2), and the `openstack` client listing, creating and
/// deleting a server, all against a service validating every token with that Keystone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(KeystoneCollection.Name)]
public sealed class KeystoneClientTests(KeystoneFixture keystone, ITestOutputHelper output) : IDisposable
{
    private static readonly string VireoDll = Path.Combine(AppContext.BaseDirectory, "vireo.dll");
    private readonly string _home = Directory.CreateTempSubdirectory("vireo-it-client-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    /// <summary>A service validating tokens against the Keystone, registered in its catalog.</summary>
    private async Task<VireoService> StartRegisteredServiceAsync()
    {
        var service = new VireoService(extraSections: keystone.AuthTokenSection);
        try
        {
            await service.StartAsync();
            keystone.Register(new Uri($"http://127.0.0.1:{service.Port}"));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes clouds.yaml (no password) and secure.yaml (the password) under XDG_CONFIG_HOME/openstack.</summary>
    private Dictionary<string, string> CloudEnvironment(string password)
    {
        var config = Directory.CreateDirectory(Path.Combine(_home, "config", "openstack")).FullName;
        File.WriteAllText(Path.Combine(config, "clouds.yaml"), $"""
            clouds:
              vireo-it:
                auth:
                  auth_url: {keystone.AuthUrl}
                  username: {keystone.Settings["OS_USERNAME"]}
                  project_name: {keystone.Settings["OS_PROJECT_NAME"]}
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
                interface: public
                identity_api_version: 3
            """);
        File.WriteAllText(Path.Combine(config, "secure.yaml"), $"clouds:\n  vireo-it:\n    auth:\n      password: {password}\n");
        return new()
        {
            ["OS_CLOUD"] = "vireo-it",
            ["XDG_CONFIG_HOME"] = Path.Combine(_home, "config"),
            ["XDG_CACHE_HOME"] = Path.Combine(_home, "cache"),
        };
    }

    [Fact]
    public async Task Vireo_server_list_works_with_OS_CLOUD_and_keeps_its_token_private_in_the_cache()
    {
        await using var service = await StartRegisteredServiceAsync();
        var environment = CloudEnvironment(keystone.Settings["OS_PASSWORD"]);

        // No --config-file: the service is found through the token's catalog.
        var first = await RunAsync("/usr/bin/dotnet", [VireoDll, "--json", "server", "list"], environment, TimeSpan.FromMinutes(2));
        first.ExitCode.ShouldBe(0, first.ToString());
        first.Json.ValueKind.ShouldBe(JsonValueKind.Array);
        var cache = Path.Combine(_home, "cache", "vireo");
        var token = Directory.GetFiles(cache).ShouldHaveSingleItem();
        File.GetUnixFileMode(cache).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.GetUnixFileMode(token).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var written = File.GetLastWriteTimeUtc(token);

        var second = await RunAsync("/usr/bin/dotnet", [VireoDll, "--json", "server", "list"], environment, TimeSpan.FromMinutes(2));

        second.ExitCode.ShouldBe(0, second.ToString());
        File.GetLastWriteTimeUtc(token).ShouldBe(written, "the second command reuses the cached token");
        (first.Stdout + first.Stderr + second.Stdout + second.Stderr).ShouldNotContain(keystone.Settings["OS_PASSWORD"]);
    }

    [Fact]
    public async Task A_wrong_password_is_exit_78_naming_keystone_the_user_and_secure_yaml()
    {
        await using var service = await StartRegisteredServiceAsync();
        var environment = CloudEnvironment("not-the-password-42");

        var result = await RunAsync("/usr/bin/dotnet", [VireoDll, "server", "list"], environment, TimeSpan.FromMinutes(2));

        result.ExitCode.ShouldBe(78, result.ToString());
        result.Stderr.ShouldContain($"Keystone at {keystone.AuthUrl} refused the credentials of user admin");
        result.Stderr.ShouldContain("secure.yaml");
        result.Stderr.ShouldNotContain("not-the-password-42");
    }

    [Fact]
    public async Task Vireo_server_list_works_with_nothing_set_through_noauth2()
    {
        await using var service = new VireoService();
        await service.StartAsync();

        var result = await RunAsync("/usr/bin/dotnet", [VireoDll, "--config-file", service.ConfigPath, "--json", "server", "list"], new() { ["HOME"] = _home }, TimeSpan.FromMinutes(2));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Json.ValueKind.ShouldBe(JsonValueKind.Array);
        Directory.Exists(Path.Combine(_home, ".cache", "vireo")).ShouldBeFalse("noauth2 asks no Keystone and keeps no token");
    }

    [Fact]
    public async Task The_openstack_client_lists_creates_and_deletes_a_server_through_keystone()
    {
        await using var service = await StartRegisteredServiceAsync();
        var admin = new Dictionary<string, string>(keystone.AdminEnvironment) { ["HOME"] = _home, ["XDG_CACHE_HOME"] = Path.Combine(_home, "cache") };

        // The image goes in with vireo and the same Keystone credentials (the catalog leads it to the service).
        var import = await RunAsync("/usr/bin/dotnet", [VireoDll, "--json", "image", "import", "it-keystone-" + Guid.NewGuid().ToString("N")[..8],
            "--file", TestImage.Qcow2Path, "--disk-format", "qcow2", "--property", "hw_qemu_guest_agent=yes"], admin, TimeSpan.FromMinutes(5));
        import.ExitCode.ShouldBe(0, import.ToString());
        var imageId = import.Json.GetProperty("id").GetString()!;

        // `openstack flavor list` also asks for extra specs (os-extra_specs), which the service does not serve yet.
        var flavor = await RunAsync("/usr/bin/dotnet", [VireoDll, "--json", "flavor", "show", "m1.tiny"], admin, TimeSpan.FromMinutes(2));
        flavor.ExitCode.ShouldBe(0, flavor.ToString());
        var flavorId = flavor.Json.GetProperty("id").GetString()!;
        var before = await OpenStackAsync(admin, "server", "list", "-f", "json");
        before.Json.ValueKind.ShouldBe(JsonValueKind.Array);

        var name = "it-osc-" + Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        string serverId;
        try
        {
            var created = await OpenStackAsync(admin, "server", "create", "--image", imageId, "--flavor", flavorId, "--wait", "-f", "json", name);
            output.WriteLine($"openstack server create --wait: {clock.Elapsed.TotalSeconds:0} s (one TCG boot); keystone start {keystone.StartTime.TotalSeconds:0} s");
            // --wait writes "Progress: N" to stdout before the JSON document.
            using var document = JsonDocument.Parse(created.Stdout[created.Stdout.IndexOf('{', StringComparison.Ordinal)..]);
            serverId = document.RootElement.GetProperty("id").GetString()!;
            document.RootElement.GetProperty("status").GetString().ShouldBe("ACTIVE");
            var listed = await OpenStackAsync(admin, "server", "list", "-f", "json");
            listed.Json.EnumerateArray().Select(server => server.GetProperty("ID").GetString()).ShouldContain(serverId);
        }
        finally
        {
            // By its unique name: the delete runs whatever happened above.
            await OpenStackAsync(admin, "server", "delete", "--wait", name);
        }

        var after = await OpenStackAsync(admin, "server", "list", "-f", "json");
        after.Json.EnumerateArray().Select(server => server.GetProperty("ID").GetString()).ShouldNotContain(serverId);
    }

    private async Task<CliResult> OpenStackAsync(Dictionary<string, string> environment, params string[] args)
    {
        var result = await RunAsync("/usr/bin/openstack", args, environment, TimeSpan.FromMinutes(10));
        result.ExitCode.ShouldBe(0, $"openstack {string.Join(' ', args.Take(2))}: {result}");
        return result;
    }

    /// <summary>Runs a program with exactly the credentials given: every OS_*, VIREO_URL and XDG_* of this process is removed first.</summary>
    private async Task<CliResult> RunAsync(string program, IReadOnlyList<string> args, Dictionary<string, string> environment, TimeSpan deadline)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var key in info.Environment.Keys.Where(key => key.StartsWith("OS_", StringComparison.Ordinal) || key.StartsWith("XDG_", StringComparison.Ordinal) || key == "VIREO_URL").ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.WorkingDirectory = _home; // no clouds.yaml of another run in the current directory
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args.Take(3))} did not finish within {deadline}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

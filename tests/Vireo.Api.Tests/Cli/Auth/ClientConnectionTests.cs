using System.CommandLine;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vireo.Cli;
using Vireo.Cli.Client;
using Vireo.Cli.Commands;
using Vireo.Testing.Fakes;

namespace Vireo.Api.Tests.Cli.Auth;

/// <summary>Client commands end to end with a fake Keystone and a fake service: which token goes where, and when Keystone is asked.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClientConnectionTests : IDisposable
{
    private const string Password = "pa55-w0rd-never-shown";
    private readonly string _root = Directory.CreateTempSubdirectory("vireo-client-auth-").FullName;
    private readonly FakeHttpHandler _keystone = new();
    private readonly FakeHttpHandler _service = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private int _issued;

    public ClientConnectionTests()
    {
        _keystone.Respond = _ => KeystoneAnswers.Issued($"token-{Interlocked.Increment(ref _issued)}", _clock.GetUtcNow().AddHours(1));
        _service.Respond = _ => Servers();
    }

    public void Dispose()
    {
        _keystone.Dispose();
        _service.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private Dictionary<string, string> KeystoneEnvironment() => new()
    {
        ["HOME"] = _root,
        ["XDG_CACHE_HOME"] = Path.Combine(_root, "cache"),
        ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"),
        ["OS_AUTH_URL"] = "http://k:5000/v3",
        ["OS_USERNAME"] = "alice",
        ["OS_PASSWORD"] = Password,
        ["OS_PROJECT_NAME"] = "demo",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
    };

    private static HttpResponseMessage Servers() => new(HttpStatusCode.OK)
    {
        Content = new StringContent("""{"servers": []}""", Encoding.UTF8, "application/json"),
    };

    private async Task<CliRunner.Result> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var root = new RootCommand("test");
        lock (_service)
        {
            GlobalOptions.AddTo(root);
            ServerCommands.AddTo(root, new ClientSetup
            {
                Environment = environment,
                KeystoneHandler = _keystone.Shared,
                ServiceHandler = _service.Shared,
                Clock = _clock,
            });
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return new CliRunner.Result(exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Without_credentials_the_service_of_VIREO_URL_gets_noauth2_admin()
    {
        var result = await RunAsync(new() { ["HOME"] = _root, ["VIREO_URL"] = "http://vireo.test:9999" }, "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        _keystone.Requests.ShouldBeEmpty();
        var request = _service.Requests.ShouldHaveSingleItem();
        request.Url.ShouldBe(new Uri("http://vireo.test:9999/v2.1/servers/detail"));
        request.Headers["X-Auth-Token"].ShouldBe("admin:admin");
    }

    [Fact]
    public async Task Auth_type_none_sends_user_and_project()
    {
        var result = await RunAsync(new() { ["HOME"] = _root, ["VIREO_URL"] = "http://vireo.test:9999", ["OS_AUTH_TYPE"] = "none", ["OS_USERNAME"] = "bob", ["OS_PROJECT_ID"] = "p-bob" }, "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        _service.Requests.ShouldHaveSingleItem().Headers["X-Auth-Token"].ShouldBe("bob:p-bob");
    }

    [Fact]
    public async Task Keystone_credentials_send_the_issued_token_to_the_catalogs_compute_endpoint_and_reuse_it_from_the_cache()
    {
        var environment = KeystoneEnvironment();

        var first = await RunAsync(environment, "server", "list", "--json");
        var second = await RunAsync(environment, "server", "list", "--json");

        first.Exit.ShouldBe(ExitCodes.Success, first.Err);
        second.Exit.ShouldBe(ExitCodes.Success, second.Err);
        _keystone.Requests.Count.ShouldBe(1);
        _service.Requests.Select(r => r.Url).ShouldAllBe(url => url == new Uri("http://vireo.lab:8774/v2.1/servers/detail"));
        _service.Requests.Select(r => r.Headers["X-Auth-Token"]).ShouldBe(["token-1", "token-1"]);
        var cached = Directory.GetFiles(Path.Combine(_root, "cache", "vireo")).ShouldHaveSingleItem();
        File.GetUnixFileMode(cached).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (first.Out + first.Err + second.Out + second.Err).ShouldNotContain(Password);
        (first.Out + first.Err).ShouldNotContain("token-1");
    }

    [Fact]
    public async Task A_token_within_60_s_of_expiry_is_replaced()
    {
        var environment = KeystoneEnvironment();
        (await RunAsync(environment, "server", "list", "--json")).Exit.ShouldBe(ExitCodes.Success);

        _clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(1));
        (await RunAsync(environment, "server", "list", "--json")).Exit.ShouldBe(ExitCodes.Success);

        _keystone.Requests.Count.ShouldBe(2);
        _service.Requests.Select(r => r.Headers["X-Auth-Token"]).ShouldBe(["token-1", "token-2"]);
    }

    [Fact]
    public async Task A_401_from_the_service_drops_the_cached_token_and_retries_once_with_a_new_one()
    {
        var environment = KeystoneEnvironment();
        _service.Respond = request => request.Headers["X-Auth-Token"] == "token-1" ? new HttpResponseMessage(HttpStatusCode.Unauthorized) : Servers();

        var result = await RunAsync(environment, "server", "list", "--json");
        var again = await RunAsync(environment, "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        again.Exit.ShouldBe(ExitCodes.Success, again.Err);
        _service.Requests.Select(r => r.Headers["X-Auth-Token"]).ShouldBe(["token-1", "token-2", "token-2"]);
        _keystone.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_service_that_keeps_refusing_gets_one_retry_only()
    {
        _service.Respond = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var result = await RunAsync(KeystoneEnvironment(), "server", "list");

        result.Exit.ShouldBe(ExitCodes.Configuration);
        result.Err.ShouldContain("401");
        result.Err.ShouldContain("refused a new Keystone token too");
        _service.Requests.Count.ShouldBe(2);
        _keystone.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_401_without_credentials_says_to_set_them()
    {
        _service.Respond = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var result = await RunAsync(new() { ["HOME"] = _root, ["VIREO_URL"] = "http://vireo.test:9999" }, "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Configuration);
        result.Err.ShouldContain("wants a Keystone token: set OS_CLOUD");
        _service.Requests.Count.ShouldBe(1);
        _keystone.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Refused_credentials_exit_78_and_never_show_the_password()
    {
        _keystone.Respond = _ => KeystoneAnswers.Refused();

        var result = await RunAsync(KeystoneEnvironment(), "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Configuration);
        result.Out.ShouldBeEmpty();
        result.Err.ShouldContain("refused the credentials of user alice (domain Default) in project demo (domain Default)");
        result.Err.ShouldContain("OS_PASSWORD");
        result.Err.ShouldNotContain(Password);
        _service.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unreachable_keystone_exits_69()
    {
        _keystone.Unreachable = true;

        var result = await RunAsync(KeystoneEnvironment(), "server", "list");

        result.Exit.ShouldBe(ExitCodes.Unavailable);
        result.Err.ShouldContain("Keystone at http://k:5000/v3 is not reachable");
    }

    [Fact]
    public async Task OS_CLOUD_reads_clouds_yaml_from_XDG_CONFIG_HOME_and_secure_yaml_beside_it()
    {
        var config = Directory.CreateDirectory(Path.Combine(_root, "config", "openstack")).FullName;
        File.WriteAllText(Path.Combine(config, "clouds.yaml"), """
            clouds:
              vireo-test:
                auth:
                  auth_url: http://k:5000
                  username: alice
                  project_name: demo
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
            """);
        File.WriteAllText(Path.Combine(config, "secure.yaml"), $"clouds:\n  vireo-test:\n    auth:\n      password: {Password}\n");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _root, ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"), ["XDG_CACHE_HOME"] = Path.Combine(_root, "cache"), ["OS_CLOUD"] = "vireo-test",
        };

        var result = await RunAsync(environment, "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        var token = _keystone.Requests.ShouldHaveSingleItem();
        token.Url.ShouldBe(new Uri("http://k:5000/v3/auth/tokens"));
        token.Body!.ShouldContain(Password);
        _service.Requests.ShouldHaveSingleItem().Headers["X-Auth-Token"].ShouldBe("token-1");
    }

    [Fact]
    public async Task An_unknown_cloud_exits_78_listing_the_clouds()
    {
        var config = Directory.CreateDirectory(Path.Combine(_root, "config", "openstack")).FullName;
        File.WriteAllText(Path.Combine(config, "clouds.yaml"), "clouds:\n  one:\n    auth_type: none\n  two:\n    auth_type: none\n");

        var result = await RunAsync(new() { ["HOME"] = _root, ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"), ["OS_CLOUD"] = "three" }, "server", "list");

        result.Exit.ShouldBe(ExitCodes.Configuration);
        result.Err.ShouldContain("cloud 'three'");
        result.Err.ShouldContain("one, two");
    }

    [Fact]
    public async Task The_os_cloud_flag_selects_the_cloud_and_notes_go_to_stderr()
    {
        var config = Directory.CreateDirectory(Path.Combine(_root, "config", "openstack")).FullName;
        File.WriteAllText(Path.Combine(config, "clouds.yaml"), "clouds:\n  open:\n    auth_type: noauth\n    auth:\n      username: carol\n      project_id: p-carol\n");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _root, ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"), ["VIREO_URL"] = "http://vireo.test:1", ["OS_COMPUTE_API_VERSION"] = "2.90",
        };

        var result = await RunAsync(environment, "--os-cloud", "open", "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Out.Trim().ShouldBe("[]");
        result.Err.ShouldContain("OS_COMPUTE_API_VERSION=2.90 is ignored");
        _service.Requests.ShouldHaveSingleItem().Headers["X-Auth-Token"].ShouldBe("carol:p-carol");
    }

    [Fact]
    public async Task A_corrupt_cached_token_is_ignored_with_a_note_and_replaced()
    {
        var environment = KeystoneEnvironment();
        (await RunAsync(environment, "server", "list", "--json")).Exit.ShouldBe(ExitCodes.Success);
        var cached = Directory.GetFiles(Path.Combine(_root, "cache", "vireo")).ShouldHaveSingleItem();
        File.WriteAllText(cached, "{ broken");

        var result = await RunAsync(environment, "server", "list");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Err.ShouldContain("is ignored and replaced");
        _keystone.Requests.Count.ShouldBe(2);
        File.ReadAllText(cached).ShouldContain("token-2");
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vireo.Api.Auth;
using Vireo.Cli.Serve;
using Vireo.Configuration.Options;
using Vireo.Identity;

namespace Vireo.Api.Tests;

/// <summary>The API with [keystone_authtoken]: every request but version discovery validated against (a fake) Keystone.</summary>
public sealed class KeystoneAuthenticationTests : IDisposable
{
    private static readonly Uri PublicKeystone = new("http://keystone.example:5000");
    private static readonly Uri AuthUrl = new("http://127.0.0.1:5000/v3");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.Zero));
    private readonly FakeKeystone keystone;

    public KeystoneAuthenticationTests() => keystone = new FakeKeystone(time);

    public void Dispose() => keystone.Dispose();

    private Task<ApiHost> StartAsync(string password = "service-secret") => ApiHost.StartAsync(
        extraEndpoints: app => app.MapGet("/test-whoami", (HttpContext http) => RequestContexts.Of(http).ToString()),
        services: services => services.AddSingleton<IRequestAuthenticator>(new KeystoneAuthenticator(
            new KeystoneTokenValidator(
                new KeystoneClient(new HttpClient(keystone), AuthUrl, TimeSpan.FromSeconds(5)),
                new PasswordCredentials(FakeKeystone.ServiceUser, password, KeystoneDomain.ByName("Default"), FakeKeystone.ServiceProject, KeystoneDomain.ByName("Default")),
                TimeSpan.FromMinutes(5), time, NullLogger.Instance),
            PublicKeystone, FakeKeystone.ServiceUser, FakeKeystone.ServiceProject)));

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(ApiHost host, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
        }

        var response = await host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task No_token_is_a_401_saying_where_to_get_one()
    {
        await using var host = await StartAsync();

        var (status, body, response) = await GetAsync(host, "/v2.1/servers", token: null);

        status.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Keystone uri=\"http://keystone.example:5000\"");
        body.ShouldContain("no X-Auth-Token");
        body.ShouldContain("unauthorized");
        keystone.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Version_discovery_needs_no_token()
    {
        await using var host = await StartAsync();

        (await GetAsync(host, "/", token: null)).Status.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(host, "/image/versions", token: null)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_valid_token_is_the_caller_with_its_project_and_roles()
    {
        await using var host = await StartAsync();
        var token = keystone.AddToken("alice-id", "project-a", ["member", "admin"], TimeSpan.FromHours(1));

        (await GetAsync(host, "/v2.1/servers", token)).Status.ShouldBe(HttpStatusCode.OK);
        var (status, body, _) = await GetAsync(host, "/test-whoami", token);

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("user alice-id project project-a roles [member,admin]");
    }

    [Fact]
    public async Task A_garbage_token_is_a_401_with_the_challenge_and_only_its_first_characters()
    {
        await using var host = await StartAsync();

        var (status, body, response) = await GetAsync(host, "/v2.1/servers", "gAAAAABgarbage-that-is-secret");

        status.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldNotBeEmpty();
        body.ShouldContain("gAAAAABg");
        body.ShouldNotContain("secret");
        body.ShouldContain("not valid");
    }

    [Fact]
    public async Task A_token_not_scoped_to_a_project_is_a_401()
    {
        await using var host = await StartAsync();
        var token = keystone.AddToken("alice-id", projectId: null, [], TimeSpan.FromHours(1));

        var (status, body, _) = await GetAsync(host, "/v2.1/servers", token);

        status.ShouldBe(HttpStatusCode.Unauthorized);
        body.ShouldContain("not scoped to a project");
    }

    [Fact]
    public async Task Keystone_down_is_a_503_naming_it_and_the_option_never_a_500()
    {
        await using var host = await StartAsync();
        keystone.Failure = new HttpRequestException("Connection refused (127.0.0.1:5000)");

        var (status, body, response) = await GetAsync(host, "/v2.1/servers", "gAAAAABsome-token");

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.ShouldContain("serviceUnavailable");
        body.ShouldContain("the identity service at http://127.0.0.1:5000/v3 did not answer (Connection refused");
        body.ShouldContain("try again, or check [keystone_authtoken] auth_url");
        response.Headers.WwwAuthenticate.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_services_own_password_refused_is_a_503_naming_the_options_not_the_password()
    {
        await using var host = await StartAsync(password: "wrong-password");
        var token = keystone.AddToken("alice-id", "project-a", ["member"], TimeSpan.FromHours(1));

        var (status, body, _) = await GetAsync(host, "/v2.1/servers", token);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.ShouldContain("[keystone_authtoken] username = nova, project_name = service");
        body.ShouldNotContain("wrong-password");
    }

    [Fact]
    public async Task A_token_longer_than_any_keystone_token_is_refused_without_asking()
    {
        var authenticator = new KeystoneAuthenticator(
            new KeystoneTokenValidator(new KeystoneClient(new HttpClient(keystone), AuthUrl, TimeSpan.FromSeconds(5)),
                new PasswordCredentials("nova", "x", KeystoneDomain.ByName("Default"), "service", KeystoneDomain.ByName("Default")), TimeSpan.Zero, time, NullLogger.Instance),
            PublicKeystone, "nova", "service");
        var http = new DefaultHttpContext();
        http.Request.Headers["X-Auth-Token"] = new string('a', KeystoneAuthenticator.MaxTokenLength + 1);

        var outcome = await authenticator.AuthenticateAsync(http.Request, "req-1", TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<AuthOutcome.Unauthorized>();
        keystone.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void The_composition_root_registers_keystone_only_when_the_section_is_configured()
    {
        var without = new ServiceCollection();
        KeystoneComposition.AddKeystoneAuthentication(without, new KeystoneAuthTokenOptions { MemcachedServers = ["x:11211"] });
        without.ShouldBeEmpty();

        var with = new ServiceCollection();
        with.AddSingleton(TimeProvider.System);
        with.AddLogging();
        KeystoneComposition.AddKeystoneAuthentication(with, new KeystoneAuthTokenOptions
        {
            AuthUrl = "http://127.0.0.1:5000", Username = "nova", Password = "secret", ProjectName = "service", TokenCacheTimeSeconds = 300,
        });
        with.AddComputeApi();
        using var provider = with.BuildServiceProvider();
        var authenticator = provider.GetRequiredService<IRequestAuthenticator>().ShouldBeOfType<KeystoneAuthenticator>();
        authenticator.WwwAuthenticate.ShouldBe("Keystone uri=\"http://127.0.0.1:5000\"");
    }
}

using System.Diagnostics;
using System.Net;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Keystone;

/// <summary>
/// `vireo serve` with [keystone_authtoken] in front of a real Keystone (no guest boots): tokens are
/// validated by Keystone and cached up to token_cache_time, a revoked one stops working after it,
/// and Keystone stopped or refusing the service's own password is a 503 that says so, never a 500.
/// </summary>
[Collection(KeystoneCollection.Name)]
public sealed class KeystoneServiceTests(KeystoneFixture keystone)
{
    private const int CacheSeconds = 8;
    private static readonly Dictionary<string, string> SkipHostCheck = new() { ["VIREO_SKIP_HOST_CHECK"] = "1" };

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetServersAsync(VireoService service, string? token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{service.Port}/v2.1/servers"));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
        }

        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Every_request_needs_a_token_keystone_validates_and_a_revoked_one_stops_working_after_the_cache_time()
    {
        await using var service = new VireoService(extraSections: keystone.Section(CacheSeconds));
        var check = await VireoService.RunCliAsync(["--config-file", service.ConfigPath, "config", "check"]);
        check.ExitCode.ShouldBe(0, check.ToString());
        await service.StartAsync(SkipHostCheck);

        var (status, body, response) = await GetServersAsync(service, token: null);
        status.ShouldBe(HttpStatusCode.Unauthorized, body);
        response.Headers.WwwAuthenticate.ToString().ShouldBe($"Keystone uri=\"http://127.0.0.1:{keystone.Port}\"");
        body.ShouldContain("no X-Auth-Token");

        (status, body, response) = await GetServersAsync(service, "gAAAAABnot-a-token-at-all");
        status.ShouldBe(HttpStatusCode.Unauthorized, body);
        response.Headers.WwwAuthenticate.ShouldNotBeEmpty();
        body.ShouldContain("is not valid");

        var token = await keystone.AdminTokenAsync();
        var validated = Stopwatch.StartNew();
        (status, body, _) = await GetServersAsync(service, token);
        status.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldContain("\"servers\"");

        await keystone.RevokeAsync(token);
        (status, body, _) = await GetServersAsync(service, token);
        validated.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(CacheSeconds), "the revocation took longer than the cache time, so the cached verdict could not be observed");
        status.ShouldBe(HttpStatusCode.OK, "within token_cache_time the service uses its cached verdict: " + body);

        await Task.Delay(TimeSpan.FromSeconds(CacheSeconds) - validated.Elapsed + TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        (status, body, response) = await GetServersAsync(service, token);
        status.ShouldBe(HttpStatusCode.Unauthorized, body);
        response.Headers.WwwAuthenticate.ShouldNotBeEmpty();
        body.ShouldContain("is not valid");
    }

    [Fact]
    public async Task Keystone_stopped_is_a_503_saying_so_and_once_it_is_back_tokens_work_again()
    {
        await using var service = new VireoService(extraSections: keystone.Section(300));
        await service.StartAsync(SkipHostCheck);
        var token = await keystone.AdminTokenAsync();

        keystone.Stop();
        try
        {
            var (status, body, response) = await GetServersAsync(service, token);
            status.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
            body.ShouldContain($"the identity service at http://127.0.0.1:{keystone.Port} did not answer (");
            body.ShouldContain("try again, or check [keystone_authtoken] auth_url");
            response.Headers.WwwAuthenticate.ShouldBeEmpty();
        }
        finally
        {
            keystone.Start();
        }

        var (again, againBody, _) = await GetServersAsync(service, token);
        again.ShouldBe(HttpStatusCode.OK, againBody);
    }

    [Fact]
    public async Task The_services_own_password_refused_is_a_503_naming_the_options_and_logged_as_an_error()
    {
        const string wrong = "not-the-nova-password";
        await using var service = new VireoService(extraSections: keystone.Section(300, novaPassword: wrong));
        await service.StartAsync(SkipHostCheck);
        var token = await keystone.AdminTokenAsync();

        var (status, body, _) = await GetServersAsync(service, token);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
        body.ShouldContain("[keystone_authtoken] username = nova, project_name = service");
        body.ShouldNotContain(wrong);
        service.Log.ShouldContain("[9002]");
        service.Log.ShouldNotContain(wrong);
        service.Log.ShouldNotContain(token);
    }
}

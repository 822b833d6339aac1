using System.Net;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// Ownership on the real service with noauth2 tokens (no Keystone): a server project A creates is a 404 to
/// project B (show, delete, action) and absent from B's list, an admin sees it with all_tenants, a member gets
/// 403 on an admin endpoint, and project A deletes it. A request without a token stays the default project's
/// admin, as the CLI and the other tests use it. One boot.
/// </summary>
public sealed class TenancyServiceTests
{
    private const string Alice = "alice:projA";
    private const string Bob = "bob:projB";

    [Fact]
    public async Task Another_projects_server_is_a_404_and_an_admin_sees_it_with_all_tenants()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromMinutes(2) };

        var import = await service.CliAsync("image", "import", "tenancy-image", "--file", TestImage.Qcow2Path, "--disk-format", "qcow2", "--public");
        import.ExitCode.ShouldBe(0, import.ToString());
        import.Json.GetProperty("visibility").GetString().ShouldBe("public");
        var imageId = import.Json.GetProperty("id").GetString()!;

        var name = "tenancy-" + Guid.NewGuid().ToString("N")[..8];
        var (created, body) = await ApiCalls.SendAsync(http, Alice, HttpMethod.Post, "v2.1/servers", $$$"""{"server": {"name": "{{{name}}}", "imageRef": "{{{imageId}}}", "flavorRef": "1"}}""");
        created.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        var id = body.GetProperty("server").GetProperty("id").GetString()!;
        try
        {
            foreach (var (method, path, json) in new (HttpMethod, string, string?)[]
            {
                (HttpMethod.Get, $"v2.1/servers/{id}", null),
                (HttpMethod.Delete, $"v2.1/servers/{id}", null),
                (HttpMethod.Post, $"v2.1/servers/{id}/action", """{"os-stop": null}"""),
            })
            {
                var (status, refusal) = await ApiCalls.SendAsync(http, Bob, method, path, json);
                status.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}: {refusal}");
                refusal.GetProperty("itemNotFound").GetProperty("message").GetString()!.ShouldNotContain(name);
            }

            (await ApiCalls.SendAsync(http, Bob, HttpMethod.Get, "v2.1/servers/detail")).Body.GetProperty("servers").GetArrayLength().ShouldBe(0);
            var (shown, view) = await ApiCalls.SendAsync(http, Alice, HttpMethod.Get, $"v2.1/servers/{id}");
            shown.ShouldBe(HttpStatusCode.OK);
            view.GetProperty("server").GetProperty("tenant_id").GetString().ShouldBe("projA");
            view.GetProperty("server").GetProperty("user_id").GetString().ShouldBe("alice");

            var (listed, all) = await ApiCalls.SendAsync(http, token: null, HttpMethod.Get, "v2.1/servers/detail?all_tenants=1");
            listed.ShouldBe(HttpStatusCode.OK);
            var mine = all.GetProperty("servers").EnumerateArray().Single(server => server.GetProperty("id").GetString() == id);
            mine.GetProperty("tenant_id").GetString().ShouldBe("projA");
            (await ApiCalls.SendAsync(http, token: null, HttpMethod.Get, "v2.1/servers")).Body.GetProperty("servers").EnumerateArray()
                .ShouldNotContain(server => server.GetProperty("id").GetString() == id, "without all_tenants the admin lists its own project");

            var (forbidden, policy) = await ApiCalls.SendAsync(http, Bob, HttpMethod.Get, "v2.1/servers?all_tenants=1");
            forbidden.ShouldBe(HttpStatusCode.Forbidden);
            policy.GetProperty("forbidden").GetProperty("message").GetString().ShouldBe("Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.");

            (await ApiCalls.SendAsync(http, Alice, HttpMethod.Delete, $"v2.1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
            await ApiCalls.WaitForGoneAsync(http, null, id, TimeSpan.FromMinutes(5));
            ServiceScenario.ShouldLeaveNothing(service, Guid.Parse(id));
        }
        finally
        {
            // Whatever failed above, the server goes (the admin may delete any project's; a 404 means it is gone already).
            await ApiCalls.SendAsync(http, token: null, HttpMethod.Delete, $"v2.1/servers/{id}");
            await ApiCalls.WaitForGoneAsync(http, null, id, TimeSpan.FromMinutes(5));
        }
    }
}

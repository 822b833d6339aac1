using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vireo.Api.Tests;

/// <summary>
/// Ownership over HTTP with noauth2 tokens (<c>X-Auth-Token: user:project</c>): project A gets 404 for
/// project B's servers and private images on show, delete, actions and lists; members get 403 with Nova's
/// policy body on admin endpoints; an admin with all_tenants sees both projects.
/// </summary>
public sealed class TenancyApiTests
{
    private const string Alice = "alice:projA";
    private const string Bob = "bob:projB";
    private const string Admin = "admin:admin";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> AsAsync(ApiHost api, string token, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Auth-Token", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        }

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<string> CreateAsAsync(ApiHost api, string token, string name)
    {
        var image = api.Fakes.Images.Add("img-" + name);
        var (status, body) = await AsAsync(api, token, HttpMethod.Post, "/v2.1/servers", $$$"""{"server": {"name": "{{{name}}}", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""");
        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        await api.Compute.WhenIdleAsync();
        return body.GetProperty("server").GetProperty("id").GetString()!;
    }

    private static List<string> Ids(JsonElement body, string key = "servers") =>
        [.. body.GetProperty(key).EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Project_A_gets_404_for_project_Bs_server_on_show_delete_actions_and_lists()
    {
        await using var api = await ApiHost.StartAsync();
        var bobs = await CreateAsAsync(api, Bob, "bobs-web");

        var calls = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, $"/v2.1/servers/{bobs}", null),
            (HttpMethod.Delete, $"/v2.1/servers/{bobs}", null),
            (HttpMethod.Post, $"/v2.1/servers/{bobs}/action", """{"os-stop": null}"""),
            (HttpMethod.Post, $"/v2.1/servers/{bobs}/action", """{"reboot": {"type": "HARD"}}"""),
            (HttpMethod.Post, $"/v2.1/servers/{bobs}/action", """{"os-getConsoleOutput": {"length": 5}}"""),
            (HttpMethod.Post, $"/v2.1/servers/{bobs}/action", """{"createImage": {"name": "stolen"}}"""),
            (HttpMethod.Get, $"/v2.1/servers/{bobs}/vireo-guest-cpu", null),
            (HttpMethod.Post, $"/v2.1/servers/{bobs}/vireo-agent-ping", """{"timeout": 1}"""),
        };
        foreach (var (method, path, json) in calls)
        {
            var (status, body) = await AsAsync(api, Alice, method, path, json);
            status.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}: {body}");
            var message = body.ShouldBeFault("itemNotFound", 404);
            message.ShouldContain(bobs);
            message.ShouldNotContain("bobs-web");
            message.ShouldNotContain("projB");
        }

        (await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers")).Body.GetProperty("servers").GetArrayLength().ShouldBe(0);
        (await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers/detail")).Body.GetProperty("servers").GetArrayLength().ShouldBe(0);
        (await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers?tenant_id=projB")).Body.GetProperty("servers").GetArrayLength()
            .ShouldBe(0, "a member's tenant_id filter does not widen the list");

        var (shown, bobView) = await AsAsync(api, Bob, HttpMethod.Get, $"/v2.1/servers/{bobs}");
        shown.ShouldBe(HttpStatusCode.OK);
        var server = bobView.GetProperty("server");
        server.GetProperty("status").GetString().ShouldBe("ACTIVE", "nothing project A asked for was done");
        server.GetProperty("tenant_id").GetString().ShouldBe("projB");
        server.GetProperty("user_id").GetString().ShouldBe("bob");
        server.GetProperty("hostId").GetString().ShouldBe(Http.Sha224.HexDigest("projB" + "compute1"));
        server.TryGetProperty("OS-EXT-SRV-ATTR:host", out _).ShouldBeFalse("host fields are for admins");
        server.TryGetProperty("OS-EXT-SRV-ATTR:hypervisor_hostname", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task An_admin_lists_every_project_with_all_tenants_filters_by_tenant_and_acts_on_any_server()
    {
        await using var api = await ApiHost.StartAsync();
        var alices = await CreateAsAsync(api, Alice, "a1");
        var bobs = await CreateAsAsync(api, Bob, "b1");

        Ids((await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers")).Body).ShouldBe([alices]);
        Ids((await AsAsync(api, Admin, HttpMethod.Get, "/v2.1/servers")).Body).ShouldBeEmpty("without all_tenants an admin lists its own project");
        Ids((await AsAsync(api, Admin, HttpMethod.Get, "/v2.1/servers?all_tenants=1")).Body).ShouldBe([alices, bobs], ignoreOrder: true);
        Ids((await AsAsync(api, Admin, HttpMethod.Get, "/v2.1/servers/detail?all_tenants=true&tenant_id=projB")).Body).ShouldBe([bobs]);
        Ids((await AsAsync(api, Admin, HttpMethod.Get, "/v2.1/servers?all_tenants&project_id=projA")).Body).ShouldBe([alices]);

        var (shown, view) = await AsAsync(api, Admin, HttpMethod.Get, $"/v2.1/servers/{alices}");
        shown.ShouldBe(HttpStatusCode.OK);
        view.GetProperty("server").GetProperty("OS-EXT-SRV-ATTR:host").GetString().ShouldBe("compute1");
        view.GetProperty("server").GetProperty("tenant_id").GetString().ShouldBe("projA");
        (await AsAsync(api, Admin, HttpMethod.Delete, $"/v2.1/servers/{bobs}")).Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("GET", "/v2.1/servers?all_tenants=1", null, "os_compute_api:servers:index:get_all_tenants")]
    [InlineData("GET", "/v2.1/servers/detail?all_tenants=1", null, "os_compute_api:servers:index:get_all_tenants")]
    [InlineData("POST", "/v2.1/flavors", """{"flavor": {"name": "m1.mine", "ram": 128, "vcpus": 1, "disk": 1}}""", "os_compute_api:os-flavor-manage:create")]
    [InlineData("DELETE", "/v2.1/flavors/1", null, "os_compute_api:os-flavor-manage:delete")]
    [InlineData("GET", "/v2.1/vireo-orphans", null, "vireo:orphans")]
    [InlineData("DELETE", "/v2.1/vireo-orphans/6b1c8f4e-1a52-4f0d-9c7e-2f1f0e6b9a01", null, "vireo:orphans")]
    [InlineData("GET", "/v2.1/vireo-image-cache", null, "vireo:image-cache")]
    public async Task A_member_gets_403_with_Novas_policy_body_on_admin_endpoints(string method, string path, string? json, string rule)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body) = await AsAsync(api, Alice, new HttpMethod(method), path, json);

        status.ShouldBe(HttpStatusCode.Forbidden, body.ToString());
        body.ShouldBeFault("forbidden", 403).ShouldBe($"Policy doesn't allow {rule} to be performed.");
        (await AsAsync(api, Admin, new HttpMethod(method), path, json)).Status.ShouldNotBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Project_A_gets_404_for_project_Bs_private_image_and_lists_only_own_and_public_ones()
    {
        await using var api = await ApiHost.StartAsync();
        var bobsPrivate = api.Fakes.Images.Add("bobs-secret", owner: "projB", visibility: Core.Tenancy.ImageVisibility.Private);
        var bobsCommunity = api.Fakes.Images.Add("bobs-community", owner: "projB", visibility: Core.Tenancy.ImageVisibility.Community);
        var alicesOwn = api.Fakes.Images.Add("alices", owner: "projA", visibility: Core.Tenancy.ImageVisibility.Private);
        var everyone = api.Fakes.Images.Add("everyone", owner: "admin", visibility: Core.Tenancy.ImageVisibility.Public);

        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/image/v2/images/{bobsPrivate.Id}"), (HttpMethod.Delete, $"/image/v2/images/{bobsPrivate.Id}"), (HttpMethod.Get, $"/image/v2/images/{bobsPrivate.Id}/file") })
        {
            var (status, body) = await AsAsync(api, Alice, method, path);
            status.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
            body.ToString().ShouldNotContain("bobs-secret");
        }

        var (_, list) = await AsAsync(api, Alice, HttpMethod.Get, "/image/v2/images");
        Ids(list, "images").ShouldBe([alicesOwn.Id.ToString(), everyone.Id.ToString()], ignoreOrder: true);
        Ids((await AsAsync(api, Alice, HttpMethod.Get, "/image/v2/images?visibility=community")).Body, "images").ShouldBe([bobsCommunity.Id.ToString()]);
        Ids((await AsAsync(api, Alice, HttpMethod.Get, "/image/v2/images?owner=projA")).Body, "images").ShouldBe([alicesOwn.Id.ToString()]);
        Ids((await AsAsync(api, Admin, HttpMethod.Get, "/image/v2/images")).Body, "images").Count.ShouldBe(4);

        var (shown, view) = await AsAsync(api, Alice, HttpMethod.Get, $"/image/v2/images/{bobsCommunity.Id}");
        shown.ShouldBe(HttpStatusCode.OK);
        view.GetProperty("owner").GetString().ShouldBe("projB");
        view.GetProperty("visibility").GetString().ShouldBe("community");

        var (deleteOthers, refusal) = await AsAsync(api, Alice, HttpMethod.Delete, $"/image/v2/images/{everyone.Id}");
        deleteOthers.ShouldBe(HttpStatusCode.Forbidden, "a public image is seen by all, changed by its owner only");
        refusal.ShouldBeFault("forbidden", 403);
        (await AsAsync(api, Bob, HttpMethod.Delete, $"/image/v2/images/{bobsPrivate.Id}")).Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_image_create_is_private_to_the_caller_public_needs_an_admin_community_is_the_owners_choice()
    {
        await using var api = await ApiHost.StartAsync();

        var (created, mine) = await AsAsync(api, Alice, HttpMethod.Post, "/image/v2/images", """{"name": "mine", "disk_format": "qcow2", "container_format": "bare"}""");
        created.ShouldBe(HttpStatusCode.Created, mine.ToString());
        mine.GetProperty("owner").GetString().ShouldBe("projA");
        mine.GetProperty("visibility").GetString().ShouldBe("private");
        (await AsAsync(api, Bob, HttpMethod.Get, $"/image/v2/images/{mine.GetProperty("id").GetString()}")).Status.ShouldBe(HttpStatusCode.NotFound);

        var (refused, body) = await AsAsync(api, Alice, HttpMethod.Post, "/image/v2/images", """{"name": "wide", "disk_format": "qcow2", "container_format": "bare", "visibility": "public"}""");
        refused.ShouldBe(HttpStatusCode.Forbidden);
        body.ShouldBeFault("forbidden", 403).ShouldBe("Policy doesn't allow publicize_image to be performed.");

        (await AsAsync(api, Alice, HttpMethod.Post, "/image/v2/images", """{"name": "open", "disk_format": "qcow2", "container_format": "bare", "visibility": "community"}"""))
            .Body.GetProperty("visibility").GetString().ShouldBe("community");
        (await AsAsync(api, Admin, HttpMethod.Post, "/image/v2/images", """{"name": "wide", "disk_format": "qcow2", "container_format": "bare", "visibility": "public"}"""))
            .Body.GetProperty("visibility").GetString().ShouldBe("public");
    }

    [Fact]
    public async Task Server_lists_page_with_limit_and_marker_newest_first_and_an_unknown_marker_is_a_400()
    {
        await using var api = await ApiHost.StartAsync();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await CreateAsAsync(api, Alice, $"p{i}"));
        }

        var all = Ids((await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers")).Body);
        all.ShouldBe(created, ignoreOrder: true);
        var first = Ids((await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers?limit=2")).Body);
        first.ShouldBe(all.Take(2));
        Ids((await AsAsync(api, Alice, HttpMethod.Get, $"/v2.1/servers?limit=2&marker={first[^1]}")).Body).ShouldBe(all.Skip(2));
        var byName = Ids((await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers?sort_key=display_name&sort_dir=asc")).Body);
        byName.ShouldBe(created, "p0, p1, p2 by name");

        var bobs = await CreateAsAsync(api, Bob, "b");
        foreach (var marker in new[] { Guid.NewGuid().ToString(), bobs })
        {
            var (status, body) = await AsAsync(api, Alice, HttpMethod.Get, $"/v2.1/servers?marker={marker}");
            status.ShouldBe(HttpStatusCode.BadRequest);
            body.ShouldBeFault("badRequest", 400).ShouldBe($"marker [{marker}] not found");
        }

        (await AsAsync(api, Alice, HttpMethod.Get, "/v2.1/servers?sort_key=password")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }
}

using System.Net;
using System.Text.Json;

namespace Vireo.Api.Tests;

public sealed class ServersApiTests
{
    private static readonly string[] DetailKeys =
    [
        "id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image", "flavor", "created", "updated",
        "addresses", "accessIPv4", "accessIPv6", "links", "key_name", "config_drive", "OS-DCF:diskConfig",
        "OS-EXT-AZ:availability_zone", "OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
        "OS-EXT-STS:vm_state", "OS-EXT-STS:task_state", "OS-EXT-STS:power_state", "OS-SRV-USG:launched_at",
        "OS-SRV-USG:terminated_at", "os-extended-volumes:volumes_attached", "security_groups",
    ];

    [Fact]
    public async Task Create_answers_202_with_Novas_create_body_and_a_Location()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");

        var (status, body, response) = await api.PostAsync("/v2.1/servers", $$$"""{"server": {"name": "web1", "imageRef": "{{{image.Id}}}", "flavorRef": "1", "min_count": 1, "networks": "none"}}""");

        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        body.ShouldHaveExactlyKeys("server");
        var server = body.GetProperty("server");
        server.ShouldHaveExactlyKeys("id", "links", "OS-DCF:diskConfig", "security_groups");
        var id = server.GetProperty("id").GetString()!;
        Guid.TryParse(id, out _).ShouldBeTrue();
        server.GetProperty("OS-DCF:diskConfig").GetString().ShouldBe("MANUAL");
        server.GetProperty("security_groups")[0].GetProperty("name").GetString().ShouldBe("default");
        var links = server.GetProperty("links").EnumerateArray().ToList();
        links.Select(link => link.GetProperty("rel").GetString()).ShouldBe(["self", "bookmark"]);
        links[0].GetProperty("href").GetString().ShouldBe(new Uri(api.BaseAddress, $"/v2.1/servers/{id}").ToString());
        links[1].GetProperty("href").GetString().ShouldBe(new Uri(api.BaseAddress, $"/servers/{id}").ToString());
        response.Headers.Location!.ToString().ShouldBe(links[0].GetProperty("href").GetString());
    }

    [Fact]
    public async Task Show_of_an_active_server_has_every_field_with_Novas_types()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.GetAsync($"/v2.1/servers/{id}");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldHaveExactlyKeys("server");
        var server = body.GetProperty("server");
        server.ShouldHaveExactlyKeys([.. DetailKeys, "progress"]);
        server.GetProperty("id").GetString().ShouldBe(id);
        server.GetProperty("name").GetString().ShouldBe("web1");
        server.GetProperty("status").GetString().ShouldBe("ACTIVE");
        server.GetProperty("OS-EXT-STS:vm_state").GetString().ShouldBe("active");
        server.ShouldBeKind("OS-EXT-STS:task_state", JsonValueKind.Null);
        server.GetProperty("OS-EXT-STS:power_state").GetInt32().ShouldBe(1);
        server.GetProperty("progress").GetInt32().ShouldBe(0);
        // No token: noauth2's admin of the default project "admin"; hostId = sha224("admin" + "compute1").
        server.GetProperty("tenant_id").GetString().ShouldBe("admin");
        server.GetProperty("user_id").GetString().ShouldBe("admin");
        server.GetProperty("hostId").GetString().ShouldBe("372ceba105ea2afcdabdaa557018d8ac15dbe5db0aecf4e797b44df1");
        server.GetProperty("OS-EXT-SRV-ATTR:host").GetString().ShouldBe("compute1");
        server.GetProperty("OS-EXT-SRV-ATTR:hypervisor_hostname").GetString().ShouldBe("compute1");
        server.GetProperty("OS-EXT-AZ:availability_zone").GetString().ShouldBe("nova");
        server.ShouldBeKind("metadata", JsonValueKind.Object);
        server.ShouldBeKind("addresses", JsonValueKind.Object);
        server.ShouldBeKind("key_name", JsonValueKind.Null);
        server.GetProperty("accessIPv4").GetString().ShouldBe(string.Empty);
        server.GetProperty("config_drive").GetString().ShouldBe(string.Empty);
        server.GetProperty("os-extended-volumes:volumes_attached").GetArrayLength().ShouldBe(0);
        server.ShouldBeKind("OS-SRV-USG:terminated_at", JsonValueKind.Null);
        server.GetProperty("OS-SRV-USG:launched_at").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$");
        server.GetProperty("created").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        server.GetProperty("updated").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");

        var image = server.GetProperty("image");
        image.ShouldHaveExactlyKeys("id", "links");
        var imageLink = image.GetProperty("links").EnumerateArray().ShouldHaveSingleItem();
        imageLink.GetProperty("rel").GetString().ShouldBe("bookmark");
        imageLink.GetProperty("href").GetString().ShouldBe(new Uri(api.BaseAddress, $"/images/{image.GetProperty("id").GetString()}").ToString());
        var flavor = server.GetProperty("flavor");
        flavor.ShouldHaveExactlyKeys("id", "links");
        flavor.GetProperty("id").GetString().ShouldBe("1");
        flavor.GetProperty("links")[0].GetProperty("href").GetString().ShouldBe(new Uri(api.BaseAddress, "/flavors/1").ToString());
    }

    [Fact]
    public async Task Servers_are_found_by_id_only_and_a_name_in_the_path_is_404_changing_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (byId, body, _) = await api.GetAsync($"/v2.1/servers/{id}");
        var (byName, fault, _) = await api.GetAsync("/v2.1/servers/web1");
        var (stopByName, _, _) = await api.PostAsync("/v2.1/servers/web1/action", """{"os-stop": null}""");
        var (deleteByName, _, _) = await api.SendAsync(HttpMethod.Delete, "/v2.1/servers/web1");

        byId.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("server").GetProperty("id").GetString().ShouldBe(id);
        byName.ShouldBe(HttpStatusCode.NotFound);
        fault.ShouldBeFault("itemNotFound", 404);
        stopByName.ShouldBe(HttpStatusCode.NotFound);
        deleteByName.ShouldBe(HttpStatusCode.NotFound);
        await api.Compute.WhenIdleAsync();
        (await api.GetAsync($"/v2.1/servers/{id}")).Body.GetProperty("server").GetProperty("status").GetString().ShouldBe(Vireo.Core.ServerStatus.Active);
    }

    [Fact]
    public async Task A_failed_build_shows_ERROR_with_the_fault_and_without_progress()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Hypervisor.DefineFailure = "libvirt refused the domain: no KVM";
        var id = await api.CreateServerAsync("broken");

        var (_, body, _) = await api.GetAsync($"/v2.1/servers/{id}");

        var server = body.GetProperty("server");
        server.ShouldHaveExactlyKeys([.. DetailKeys, "fault"]);
        server.GetProperty("status").GetString().ShouldBe("ERROR");
        server.GetProperty("OS-EXT-STS:vm_state").GetString().ShouldBe("error");
        var fault = server.GetProperty("fault");
        fault.ShouldHaveExactlyKeys("code", "created", "message");
        fault.GetProperty("code").GetInt32().ShouldBe(500);
        fault.GetProperty("created").GetString()!.ShouldMatch(@"Z$");
        fault.GetProperty("message").GetString()!.ShouldContain("no KVM");
        fault.GetProperty("message").GetString()!.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task List_has_id_name_and_links_and_detail_has_full_servers()
    {
        await using var api = await ApiHost.StartAsync();
        var first = await api.CreateServerAsync("web1");
        var second = await api.CreateServerAsync("web2");

        var (status, list, _) = await api.GetAsync("/v2.1/servers");
        var (detailStatus, detail, _) = await api.GetAsync("/v2.1/servers/detail");

        status.ShouldBe(HttpStatusCode.OK);
        list.ShouldHaveExactlyKeys("servers");
        var servers = list.GetProperty("servers").EnumerateArray().ToList();
        servers.Count.ShouldBe(2);
        servers.ShouldAllBe(server => server.EnumerateObject().Count() == 3);
        servers.Select(server => server.GetProperty("id").GetString()).ShouldBe([second, first], ignoreOrder: true);
        detailStatus.ShouldBe(HttpStatusCode.OK);
        foreach (var server in detail.GetProperty("servers").EnumerateArray())
        {
            server.ShouldHaveExactlyKeys([.. DetailKeys, "progress"]);
        }
    }

    [Fact]
    public async Task List_filters_by_name_as_a_pattern_and_by_status()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        await api.CreateServerAsync("db1");

        var (_, byName, _) = await api.GetAsync("/v2.1/servers/detail?name=^web");
        var (_, byStatus, _) = await api.GetAsync("/v2.1/servers?status=shutoff");

        byName.GetProperty("servers").EnumerateArray().Select(server => server.GetProperty("name").GetString()).ShouldBe(["web1"]);
        byStatus.GetProperty("servers").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Unknown_server_is_a_404_itemNotFound()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync($"/v2.1/servers/{Guid.NewGuid()}");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404).ShouldContain("does not exist");
    }

    [Fact]
    public async Task A_name_in_use_makes_a_second_server_as_in_Nova()
    {
        await using var api = await ApiHost.StartAsync();
        var first = await api.CreateServerAsync("web1");
        var image = api.Fakes.Images.Add("other");

        var (status, body, _) = await api.PostAsync("/v2.1/servers", $$$"""{"server": {"name": "web1", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""");

        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        body.GetProperty("server").GetProperty("id").GetString().ShouldNotBe(first);
    }

    [Theory]
    [InlineData("""{"server": {"name": "web1", "imageRef": "cirros", "flavorRef": "99"}}""", "flavor '99'")]
    [InlineData("""{"server": {"name": "web1", "imageRef": "nope", "flavorRef": "1"}}""", "image 'nope'")]
    public async Task Unknown_image_or_flavor_is_a_404(string json, string named)
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");

        var (status, body, _) = await api.PostAsync("/v2.1/servers", json);

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404).ShouldContain(named);
    }

    [Fact]
    public async Task Flavor_and_image_may_be_given_as_links_and_the_flavor_as_an_integer()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");

        var (status, body, _) = await api.PostAsync("/v2.1/servers", $$$"""{"server": {"name": "web1", "imageRef": "http://glance.example.com/v2/images/{{{image.Id}}}", "flavorRef": 2}}""");
        await api.Compute.WhenIdleAsync();

        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        var (_, shown, _) = await api.GetAsync("/v2.1/servers/" + body.GetProperty("server").GetProperty("id").GetString());
        shown.GetProperty("server").GetProperty("flavor").GetProperty("id").GetString().ShouldBe("2");
    }

    [Fact]
    public async Task Delete_answers_204_and_the_server_is_gone_afterwards()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, _, _) = await api.SendAsync(HttpMethod.Delete, $"/v2.1/servers/{id}");
        await api.Compute.WhenIdleAsync();

        status.ShouldBe(HttpStatusCode.NoContent);
        (await api.GetAsync($"/v2.1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync("/v2.1/servers")).Body.GetProperty("servers").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Delete_of_an_unknown_server_is_a_404()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.SendAsync(HttpMethod.Delete, "/v2.1/servers/ghost");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404);
    }

    [Fact]
    public async Task Create_while_the_hypervisor_is_unreachable_is_a_503_serviceUnavailable()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");
        api.Fakes.Hypervisor.Unreachable = "libvirtd at qemu:///system is not reachable";

        var (status, body, _) = await api.PostAsync("/v2.1/servers", $$$"""{"server": {"name": "web1", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""");

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.ShouldBeFault("serviceUnavailable", 503).ShouldStartWith("libvirtd at qemu:///system is not reachable (request req-");
        (await api.GetAsync("/v2.1/servers")).Body.GetProperty("servers").GetArrayLength().ShouldBe(0);
    }
}

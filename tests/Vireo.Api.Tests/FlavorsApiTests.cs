using System.Net;
using System.Text.Json;

namespace Vireo.Api.Tests;

public sealed class FlavorsApiTests
{
    private static readonly string[] DetailKeys =
    [
        "id", "name", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap", "OS-FLV-DISABLED:disabled",
        "rxtx_factor", "os-flavor-access:is_public", "links",
    ];

    [Fact]
    public async Task List_has_id_name_and_links()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/v2.1/flavors");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldHaveExactlyKeys("flavors");
        var flavors = body.GetProperty("flavors").EnumerateArray().ToList();
        flavors.Select(flavor => flavor.GetProperty("id").GetString()).ShouldBe(["1", "2"]);
        flavors[0].ShouldHaveExactlyKeys("id", "name", "links");
        flavors[0].GetProperty("links")[0].GetProperty("href").GetString().ShouldBe(new Uri(api.BaseAddress, "/v2.1/flavors/1").ToString());
    }

    [Fact]
    public async Task Show_has_Novas_2_1_fields_with_swap_as_an_empty_string_when_none()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/v2.1/flavors/1");

        status.ShouldBe(HttpStatusCode.OK);
        var flavor = body.GetProperty("flavor");
        flavor.ShouldHaveExactlyKeys(DetailKeys);
        flavor.GetProperty("id").GetString().ShouldBe("1");
        flavor.GetProperty("name").GetString().ShouldBe("m1.tiny");
        flavor.GetProperty("ram").GetInt32().ShouldBe(512);
        flavor.GetProperty("vcpus").GetInt32().ShouldBe(1);
        flavor.GetProperty("disk").GetInt32().ShouldBe(1);
        flavor.GetProperty("OS-FLV-EXT-DATA:ephemeral").GetInt32().ShouldBe(0);
        flavor.GetProperty("swap").GetString().ShouldBe(string.Empty);
        flavor.GetProperty("rxtx_factor").GetDouble().ShouldBe(1.0);
        flavor.ShouldBeKind("os-flavor-access:is_public", JsonValueKind.True);
        flavor.ShouldBeKind("OS-FLV-DISABLED:disabled", JsonValueKind.False);
    }

    [Fact]
    public async Task Show_finds_a_flavor_by_name_and_an_unknown_one_is_a_404()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/v2.1/flavors/m1.small");
        var (missing, error, _) = await api.GetAsync("/v2.1/flavors/42");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("flavor").GetProperty("id").GetString().ShouldBe("2");
        missing.ShouldBe(HttpStatusCode.NotFound);
        error.ShouldBeFault("itemNotFound", 404).ShouldContain("flavor '42'");
    }

    [Fact]
    public async Task Create_answers_200_with_the_flavor_and_it_is_listed()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/flavors", """{"flavor": {"name": "m1.large", "ram": 8192, "vcpus": 4, "disk": "80", "id": "7", "swap": 1024}}""");
        var (_, detail, _) = await api.GetAsync("/v2.1/flavors/detail");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var flavor = body.GetProperty("flavor");
        flavor.ShouldHaveExactlyKeys(DetailKeys);
        flavor.GetProperty("id").GetString().ShouldBe("7");
        flavor.GetProperty("disk").GetInt32().ShouldBe(80);
        flavor.GetProperty("swap").GetInt32().ShouldBe(1024);
        detail.GetProperty("flavors").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldContain("m1.large");
    }

    [Fact]
    public async Task Create_keeps_the_ephemeral_GiB_and_swap_MiB_and_shows_them_as_Nova_does()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/flavors", """{"flavor": {"name": "m1.eph", "ram": 128, "vcpus": 1, "disk": 1, "id": "e1", "OS-FLV-EXT-DATA:ephemeral": 1, "swap": 64}}""");
        var (_, shown, _) = await api.GetAsync("/v2.1/flavors/e1");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        foreach (var flavor in new[] { body.GetProperty("flavor"), shown.GetProperty("flavor") })
        {
            flavor.GetProperty("OS-FLV-EXT-DATA:ephemeral").GetInt32().ShouldBe(1);
            flavor.GetProperty("swap").GetInt32().ShouldBe(64);
        }
    }

    [Fact]
    public async Task Create_without_an_id_makes_a_uuid()
    {
        await using var api = await ApiHost.StartAsync();

        var (_, body, _) = await api.PostAsync("/v2.1/flavors", """{"flavor": {"name": "m1.x", "ram": 64, "vcpus": 1, "disk": 0}}""");

        Guid.TryParse(body.GetProperty("flavor").GetProperty("id").GetString(), out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Create_of_a_taken_name_is_a_409()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/flavors", """{"flavor": {"name": "m1.tiny", "ram": 64, "vcpus": 1, "disk": 0}}""");

        status.ShouldBe(HttpStatusCode.Conflict);
        body.ShouldBeFault("conflictingRequest", 409);
    }

    [Theory]
    [InlineData("""{"flavor": {"name": "x", "ram": "big", "vcpus": 1, "disk": 1}}""", "'flavor.ram' must be an integer, got \"big\"")]
    [InlineData("""{"flavor": {"name": "x", "ram": 0, "vcpus": 1, "disk": 1}}""", "'flavor.ram' must be at least 1, got 0")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "disk": 1}}""", "'flavor.vcpus' is required")]
    [InlineData("""{"flavor": {"name": " x", "ram": 64, "vcpus": 1, "disk": 1}}""", "'flavor.name' must not begin or end with white space")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "id": "a/b"}}""", "'flavor.id' must be")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "os-flavor-access:is_public": "maybe"}}""", "must be true or false")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "OS-FLV-EXT-DATA:ephemeral": -1}}""", "'flavor.OS-FLV-EXT-DATA:ephemeral' must be at least 0, got -1")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "OS-FLV-EXT-DATA:ephemeral": 1.5}}""", "'flavor.OS-FLV-EXT-DATA:ephemeral' must be an integer")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "swap": -5}}""", "'flavor.swap' must be at least 0, got -5")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "swap": "big"}}""", "'flavor.swap' must be an integer")]
    [InlineData("""{"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 1, "swap": 2147483648}}""", "'flavor.swap' must be an integer")]
    public async Task Create_with_a_bad_field_is_a_400_naming_it(string json, string message)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/flavors", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain(message);
    }

    [Theory]
    [InlineData("", new[] { "1", "2" })]
    [InlineData("?is_public=none", new[] { "1", "2", "9" })]
    [InlineData("?is_public=False", new[] { "9" })]
    [InlineData("?minRam=1024", new[] { "2" })]
    public async Task List_filters_as_Nova_does(string query, string[] ids)
    {
        await using var api = await ApiHost.StartAsync();
        await api.PostAsync("/v2.1/flavors", """{"flavor": {"name": "private", "ram": 64, "vcpus": 1, "disk": 0, "id": "9", "os-flavor-access:is_public": false}}""");

        var (_, body, _) = await api.GetAsync("/v2.1/flavors/detail" + query);

        body.GetProperty("flavors").EnumerateArray().Select(flavor => flavor.GetProperty("id").GetString()).ShouldBe(ids);
    }

    [Fact]
    public async Task A_bad_is_public_filter_is_a_400()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/v2.1/flavors?is_public=perhaps");

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldBe("Invalid is_public filter [perhaps]");
    }
}

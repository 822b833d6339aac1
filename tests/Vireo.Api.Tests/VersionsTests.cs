using System.Net;
using System.Text.Json;

namespace Vireo.Api.Tests;

public sealed class VersionsTests
{
    [Fact]
    public async Task Root_lists_v2_1_as_current_with_its_version_range_and_self_link()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldHaveExactlyKeys("versions");
        var version = body.GetProperty("versions").EnumerateArray().ShouldHaveSingleItem();
        version.ShouldHaveExactlyKeys("id", "status", "version", "min_version", "updated", "links");
        version.GetProperty("id").GetString().ShouldBe("v2.1");
        version.GetProperty("status").GetString().ShouldBe("CURRENT");
        version.GetProperty("version").GetString().ShouldBe("2.1");
        version.GetProperty("min_version").GetString().ShouldBe("2.1");
        version.GetProperty("updated").GetString().ShouldBe("2013-07-23T11:33:21Z");
        var link = version.GetProperty("links").EnumerateArray().ShouldHaveSingleItem();
        link.GetProperty("rel").GetString().ShouldBe("self");
        link.GetProperty("href").GetString().ShouldBe(new Uri(api.BaseAddress, "/v2.1/").ToString());
    }

    [Theory]
    [InlineData("/v2.1")]
    [InlineData("/v2.1/")]
    public async Task Version_document_has_media_types_and_echoes_the_microversion(string path)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, response) = await api.GetAsync(path);

        status.ShouldBe(HttpStatusCode.OK);
        var version = body.GetProperty("version");
        version.ShouldHaveExactlyKeys("id", "status", "version", "min_version", "updated", "links", "media-types");
        var mediaType = version.GetProperty("media-types").EnumerateArray().ShouldHaveSingleItem();
        mediaType.GetProperty("base").GetString().ShouldBe("application/json");
        mediaType.GetProperty("type").GetString().ShouldBe("application/vnd.openstack.compute+json;version=2.1");
        response.Headers.GetValues("OpenStack-API-Version").ShouldBe(["compute 2.1"]);
        response.Headers.GetValues("X-OpenStack-Nova-API-Version").ShouldBe(["2.1"]);
        response.Headers.Vary.ShouldContain("OpenStack-API-Version");
        response.Headers.Vary.ShouldContain("X-OpenStack-Nova-API-Version");
    }

    [Theory]
    [InlineData("OpenStack-API-Version", "compute 2.1")]
    [InlineData("OpenStack-API-Version", "compute latest")]
    [InlineData("OpenStack-API-Version", "image 2.5, compute 2.1")]
    [InlineData("X-OpenStack-Nova-API-Version", "2.1")]
    [InlineData("X-OpenStack-Nova-API-Version", "latest")]
    public async Task Requested_microversion_2_1_or_latest_is_served_as_2_1(string header, string value)
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2.1/flavors");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("OpenStack-API-Version").ShouldBe(["compute 2.1"]);
        response.Headers.GetValues("X-OpenStack-Nova-API-Version").ShouldBe(["2.1"]);
    }

    [Theory]
    [InlineData("compute 2.5", HttpStatusCode.NotAcceptable, "Version 2.5 is not supported by the API. Minimum is 2.1 and maximum is 2.1.")]
    [InlineData("compute 3.0", HttpStatusCode.NotAcceptable, "Version 3.0 is not supported")]
    [InlineData("compute two", HttpStatusCode.BadRequest, "API Version String 'two' is of invalid format")]
    [InlineData("compute 2.01", HttpStatusCode.BadRequest, "is of invalid format")]
    public async Task Unsupported_or_malformed_microversion_is_refused_as_Nova_does(string value, HttpStatusCode expected, string message)
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2.1/servers");
        request.Headers.TryAddWithoutValidation("OpenStack-API-Version", value);

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(expected);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var faultName = expected == HttpStatusCode.BadRequest ? "badRequest" : "computeFault";
        body.ShouldBeFault(faultName, (int)expected).ShouldContain(message);
    }

    [Fact]
    public async Task Every_compute_response_carries_a_request_id()
    {
        await using var api = await ApiHost.StartAsync();

        var (_, _, response) = await api.GetAsync("/v2.1/servers/does-not-exist");

        var id = response.Headers.GetValues("x-openstack-request-id").ShouldHaveSingleItem();
        id.ShouldStartWith("req-");
        Guid.TryParse(id[4..], out _).ShouldBeTrue();
        response.Headers.GetValues("X-Compute-Request-Id").ShouldBe([id]);
    }
}

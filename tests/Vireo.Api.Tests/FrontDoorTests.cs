using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vireo.Api.Http;

namespace Vireo.Api.Tests;

/// <summary>
/// Only the API's own clients get through: JSON bodies need a JSON media type (no CORS-free
/// "simple" request), the Host header must be a name of the service (no DNS rebinding), and no
/// cross-origin answer is ever allowed.
/// </summary>
public sealed class FrontDoorTests
{
    private const string CreateBody = """{"flavor": {"name": "tiny2", "ram": 64, "vcpus": 1, "disk": 1}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_json_body_without_a_content_type_is_a_415_naming_the_header_and_creates_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var flavorsBefore = (await api.GetAsync("/v2.1/flavors")).Body.GetProperty("flavors").GetArrayLength();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v2.1/flavors", UriKind.Relative))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(CreateBody)),
        };
        request.Content.Headers.ContentType.ShouldBeNull();

        using var response = await api.Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.ShouldBeFault("badMediaType", 415);
        message.ShouldBe("the request has no Content-Type header; send the JSON body with Content-Type: application/json");
        (await api.GetAsync("/v2.1/flavors")).Body.GetProperty("flavors").GetArrayLength().ShouldBe(flavorsBefore);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task The_content_types_a_page_may_send_cross_origin_are_415_and_create_no_server(string contentType)
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");

        var (status, body, _) = await api.SendAsync(HttpMethod.Post, "/v2.1/servers", $$$"""{"server": {"name": "csrf", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""", contentType);

        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        body.ShouldBeFault("badMediaType", 415).ShouldContain("Content-Type: application/json");
        await api.Compute.WhenIdleAsync();
        (await api.Compute.ListServersAsync(new Vireo.Core.Compute.ServerListQuery(), Callers.Admin, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_plus_json_media_type_is_read_as_json()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.SendAsync(HttpMethod.Post, "/v2.1/flavors", CreateBody, "application/vnd.openstack+json; charset=utf-8");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("flavor").GetProperty("name").GetString().ShouldBe("tiny2");
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8774")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil.example:80")]
    public async Task A_foreign_host_header_is_a_400_naming_the_option_and_reaches_no_endpoint(string host)
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v2.1/servers", UriKind.Relative))
        {
            Content = new StringContent($$$"""{"server": {"name": "rebound", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = host;

        using var response = await api.Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.ShouldBeFault("badRequest", 400);
        message.ShouldContain($"the Host header '{host}' is not a name of this service");
        message.ShouldContain("[vireo] allowed_hosts");
        await api.Compute.WhenIdleAsync();
        (await api.Compute.ListServersAsync(new Vireo.Core.Compute.ServerListQuery(), Callers.Admin, Ct)).ShouldBeEmpty();
        api.Fakes.Logs.Entries.ShouldContain(entry => entry.Message.Contains($"Host header '{host}'", StringComparison.Ordinal));
        (await api.GetAsync("/v2.1/flavors")).Status.ShouldBe(HttpStatusCode.OK, "the service keeps answering its own clients");
    }

    [Fact]
    public async Task Loopback_names_with_any_port_are_accepted_and_links_use_the_accepted_host()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        foreach (var host in new[] { "localhost", $"localhost:{api.BaseAddress.Port}", "127.0.0.1:1", "[::1]:8774", "LOCALHOST" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v2.1/servers/{id}", UriKind.Relative));
            request.Headers.Host = host;
            using var response = await api.Client.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{host}: {text}");
            JsonDocument.Parse(text).RootElement.GetProperty("server").GetProperty("links")[0].GetProperty("href").GetString()
                .ShouldBe($"http://{host}/v2.1/servers/{id}");
        }
    }

    [Fact]
    public async Task A_name_from_allowed_hosts_is_accepted()
    {
        await using var api = await ApiHost.StartAsync(options: new ComputeApiOptions { AllowedHosts = HostAllowList.For("127.0.0.1", ["compute.example.com"]) });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v2.1/flavors", UriKind.Relative));
        request.Headers.Host = "compute.example.com:8774";

        using var response = await api.Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/v2.1/servers")]
    [InlineData("/v2.1/flavors")]
    [InlineData("/image/v2/images")]
    [InlineData("/")]
    public async Task A_cors_preflight_gets_no_allow_headers(string path)
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await api.Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        AllHeaderNames(response).ShouldNotContain(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.ShouldBeFault("badMethod", 405).ShouldContain("CORS");
    }

    [Fact]
    public async Task A_request_with_an_origin_gets_its_answer_without_cors_headers()
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v2.1/flavors", UriKind.Relative));
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await api.Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        AllHeaderNames(response).ShouldNotContain(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Cors_headers_are_recognised_by_name()
    {
        FrontDoor.IsCorsHeader("Access-Control-Allow-Origin").ShouldBeTrue();
        FrontDoor.IsCorsHeader("access-control-allow-credentials").ShouldBeTrue();
        FrontDoor.IsCorsHeader("Content-Type").ShouldBeFalse();
    }

    [Fact]
    public async Task The_octet_stream_upload_and_import_still_take_their_bytes()
    {
        await using var api = await ApiHost.StartAsync();
        using var content = new ByteArrayContent(new byte[1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=tiny&disk_format=raw", UriKind.Relative), content, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task An_import_without_a_content_type_is_a_415_and_stores_no_image()
    {
        await using var api = await ApiHost.StartAsync();
        using var content = new ByteArrayContent(new byte[1024]);

        using var response = await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=sneaky&disk_format=raw", UriKind.Relative), content, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.ShouldBeFault("badMediaType", 415)
            .ShouldBe("the request has no Content-Type header; send the image bytes of an import with Content-Type: application/octet-stream");
        (await api.GetAsync("/image/v2/images")).Body.GetProperty("images").GetArrayLength().ShouldBe(0);
    }

    private static IEnumerable<string> AllHeaderNames(HttpResponseMessage response) =>
        response.Headers.Select(header => header.Key).Concat(response.Content.Headers.Select(header => header.Key));
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vireo.Api.Http;
using Vireo.Core;

namespace Vireo.Api.Tests;

/// <summary>Input that used to answer 500: each is now a 4xx naming the field and the problem.</summary>
public sealed class NastyInputTests
{
    [Theory]
    [InlineData("""{"server": {"name": "web\ud800", "imageRef": "x", "flavorRef": "1"}}""", "'server.name'", "lone surrogate")]
    [InlineData("""{"server": {"name": "web1", "imageRef": "\udfff", "flavorRef": "1"}}""", "'server.imageRef'", "lone surrogate")]
    [InlineData("""{"server": {"name": "web1", "metadata": {"k": ["a", "\ud800"]}}}""", "'server.metadata.k[1]'", "lone surrogate")]
    [InlineData("""{"server": {"name": "web1", "\ud800": 1}}""", "a key in", "lone surrogate")]
    [InlineData("""{"server": {"name": "web\u0007", "imageRef": "x", "flavorRef": "1"}}""", "'server.name'", "control character U+0007")]
    [InlineData("""{"server": {"name": "web\n1", "imageRef": "x", "flavorRef": "1"}}""", "'server.name'", "control character U+000A")]
    [InlineData("""{"server": {"name": "web\uffff", "imageRef": "x", "flavorRef": "1"}}""", "'server.name'", "noncharacter U+FFFF")]
    [InlineData("""{"server": {"name": "web\ufffe", "imageRef": "x", "flavorRef": "1"}}""", "'server.name'", "noncharacter U+FFFE")]
    [InlineData("""{"server": {"name": " web1", "imageRef": "x", "flavorRef": "1"}}""", "'server.name'", "white space")]
    [InlineData("""{"server": {"name": "web1", "imageRef": "x", "flavorRef": "1", "user_data": "a\u0000b"}}""", "'server.user_data'", "control character U+0000")]
    public async Task A_bad_string_anywhere_in_a_server_body_is_a_400_naming_the_field(string json, string field, string problem)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/servers", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        var message = body.ShouldBeFault("badRequest", 400);
        message.ShouldContain(field);
        message.ShouldContain(problem);
    }

    [Fact]
    public async Task A_name_over_255_characters_is_a_400_and_255_is_accepted()
    {
        await using var api = await ApiHost.StartAsync();

        var (tooLong, body, _) = await api.PostAsync("/v2.1/flavors", Flavor(new string('a', 256), "f256"));
        var (fits, _, _) = await api.PostAsync("/v2.1/flavors", Flavor(new string('a', 255), "f255"));

        tooLong.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain("'flavor.name' is 256 characters long; use at most 255");
        fits.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Characters_outside_the_BMP_count_once_towards_the_length()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/flavors", Flavor(string.Concat(Enumerable.Repeat("\U0001F600", 200)), "emoji"));

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D }, 7)]
    [InlineData(new byte[] { 0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D }, 7)]
    [InlineData(new byte[] { 0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xC3 }, 7)]
    public async Task A_body_that_is_not_UTF8_is_a_400_naming_the_byte(byte[] bytes, int position)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body) = await SendRawAsync(api, HttpMethod.Post, "/v2.1/servers", bytes);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain($"not valid UTF-8 at byte {position}");
    }

    [Theory]
    [InlineData("/v2.1/servers/web%071")]
    [InlineData("/v2.1/flavors/%EF%BF%BF")]
    [InlineData("/v2.1/servers?name=a%07b")]
    [InlineData("/v2.1/servers/detail?st%00atus=ACTIVE")]
    [InlineData("/image/v2/images?name=%EF%BF%BE")]
    public async Task A_bad_path_or_query_parameter_is_a_400(string path)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync(path);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain("contains the");
    }

    [Fact]
    public async Task A_path_segment_over_255_characters_is_a_400()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/v2.1/servers/" + new string('x', 256));

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain("the path segment 'serverRef' is 256 characters long");
    }

    [Theory]
    [InlineData("compute 2.99999999999999999999", 400)]
    [InlineData("compute 99999999999.1", 400)]
    [InlineData("compute 2.2147483648", 400)]
    [InlineData("compute -2.1", 400)]
    [InlineData("compute 2.01", 400)]
    [InlineData("compute \u0662.\u0661", 400)]
    [InlineData("compute 2.\uFF11", 400)]
    [InlineData("compute 2.2147483647", 406)]
    [InlineData("compute 3.0", 406)]
    public async Task Microversions_take_ASCII_digits_that_fit_and_refuse_others_with_400_or_406(string header, int expected)
    {
        await using var api = await ApiHost.StartAsync();
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var client = new HttpClient(handler) { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2.1/flavors");
        request.Headers.TryAddWithoutValidation(Microversions.Header, header);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        ((int)response.StatusCode).ShouldBe(expected);
    }

    [Theory]
    [InlineData("2.1", 2, 1)]
    [InlineData("2.0", 2, 0)]
    [InlineData("10.2147483647", 10, int.MaxValue)]
    public void Microversion_parsing_accepts_ASCII_major_minor(string text, int major, int minor) =>
        Microversions.Parse(text).ShouldBe(new Version(major, minor));

    [Theory]
    [InlineData("2.2147483648")]
    [InlineData("99999999999999999999.1")]
    [InlineData("\u0662.\u0661")]
    [InlineData("2.1\n")]
    [InlineData("02.1")]
    [InlineData("+2.1")]
    [InlineData("2.1.0")]
    [InlineData("")]
    public void Microversion_parsing_refuses_anything_else(string text) => Microversions.Parse(text).ShouldBeNull();

    [Fact]
    public async Task Console_output_of_a_server_deleted_while_its_log_is_read_is_a_404()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        api.Fakes.ConsoleLogs.Write(Guid.Parse(id), "boot\n");
        api.Fakes.ConsoleLogs.BeforeRead = async instanceId =>
        {
            // The delete removes the instance's files, its console log with them.
            await api.Compute.DeleteServerAsync(instanceId.ToString(), Callers.Admin, CancellationToken.None);
            api.Fakes.ConsoleLogs.Remove(instanceId);
        };

        var (status, body, _) = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-getConsoleOutput": {"length": 5}}""");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404);
    }

    [Fact]
    public async Task Console_output_of_a_server_without_a_log_yet_is_empty()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-getConsoleOutput": {}}""");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("output").GetString().ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData("""{"flavor": {"name": "big", "id": "m1.tiny", "ram": 512, "vcpus": 1, "disk": 1}}""", "is the name of flavor 'm1.tiny'")]
    [InlineData("""{"flavor": {"name": "1", "id": "big", "ram": 512, "vcpus": 1, "disk": 1}}""", "is the id of flavor 'm1.tiny'")]
    [InlineData("""{"flavor": {"name": "m1.small", "id": "big", "ram": 512, "vcpus": 1, "disk": 1}}""", "flavor name 'm1.small' is taken")]
    [InlineData("""{"flavor": {"name": "big", "id": "2", "ram": 512, "vcpus": 1, "disk": 1}}""", "flavor id '2' is taken")]
    public async Task A_flavor_whose_id_or_name_would_make_a_lookup_ambiguous_is_a_409(string json, string message)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/flavors", json);

        status.ShouldBe(HttpStatusCode.Conflict);
        body.ShouldBeFault("conflictingRequest", 409).ShouldContain(message);
        (await api.GetAsync("/v2.1/flavors/big")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(ErrorKind.Failed)]
    [InlineData(ErrorKind.Internal)]
    [InlineData(ErrorKind.Configuration)]
    [InlineData(ErrorKind.Unavailable)]
    public async Task A_5xx_body_names_no_host_path_but_the_log_keeps_it(ErrorKind kind)
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Flavors.Failures.FailOn("Flavor.ListAsync", () => new VireoException(
            kind, "qemu-img convert failed on /var/lib/vireo/instances/0f1e/disk: Could not open '/var/lib/vireo/_base/abc': Permission denied"));

        var (status, body, response) = await api.GetAsync("/v2.1/flavors");

        ((int)status).ShouldBeGreaterThanOrEqualTo(500);
        var message = body.ShouldBeFault(ApiFaults.NameFor((int)status), (int)status);
        message.ShouldNotContain("/var/lib");
        message.ShouldContain("qemu-img convert failed on disk");
        message.ShouldContain("'abc'");
        message.ShouldContain(response.Headers.GetValues("x-openstack-request-id").Single());
        api.Fakes.Logs.Entries.ShouldContain(entry => entry.Message.Contains("/var/lib/vireo/instances/0f1e/disk"));
    }

    [Fact]
    public async Task A_4xx_message_is_kept_as_it_is()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Flavors.Failures.FailOn("Flavor.ListAsync", () => VireoException.Conflict("the file /var/lib/vireo/x/y is busy"));

        var (_, body, _) = await api.GetAsync("/v2.1/flavors");

        body.ShouldBeFault("conflictingRequest", 409).ShouldBe("the file /var/lib/vireo/x/y is busy");
    }

    [Fact]
    public async Task Every_500_is_logged_once_as_event_4400_also_when_thrown_outside_the_endpoint_filters()
    {
        await using var api = await ApiHost.StartAsync(extraEndpoints: app =>
            app.MapGet("/test/throws", (HttpContext _) => (IResult)Throw()));
        api.Fakes.Flavors.Failures.FailOn("Flavor.ListAsync", () => new InvalidOperationException("bug"));

        var (bare, bareBody, response) = await api.GetAsync("/test/throws");
        var (filtered, _, _) = await api.GetAsync("/v2.1/flavors");

        bare.ShouldBe(HttpStatusCode.InternalServerError);
        var message = bareBody.ShouldBeFault("computeFault", 500);
        message.ShouldNotContain("/tmp/secret");
        message.ShouldContain(response.Headers.GetValues("x-openstack-request-id").Single());
        filtered.ShouldBe(HttpStatusCode.InternalServerError);
        var events = api.Fakes.Logs.Entries.Where(entry => entry.EventId.Id == ApiEvents.ServerError).ToList();
        events.Count.ShouldBe(2);
        events.ShouldAllBe(entry => entry.Level == LogLevel.Error && entry.Message.StartsWith("http.500: GET "));
    }

    [Fact]
    public async Task A_4xx_is_not_logged_as_a_500()
    {
        await using var api = await ApiHost.StartAsync();

        await api.PostAsync("/v2.1/servers", """{"server": {"name": "\ud800"}}""");

        api.Fakes.Logs.Entries.ShouldNotContain(entry => entry.EventId.Id == ApiEvents.ServerError);
    }

    [Theory]
    [InlineData("/var/lib/vireo/instances/abc/disk failed", "disk failed")]
    [InlineData("cannot open '/etc/vireo/nova.conf'", "cannot open 'nova.conf'")]
    [InlineData("libvirtd at qemu:///system is unreachable", "libvirtd at qemu:///system is unreachable")]
    [InlineData("see http://host:8774/v2.1/servers", "see http://host:8774/v2.1/servers")]
    [InlineData("read and/or write", "read and/or write")]
    [InlineData("in /var/lib/vireo/ (full)", "in vireo (full)")]
    public void Server_error_text_replaces_absolute_paths_by_their_file_name(string message, string expected) =>
        ServerErrorText.Sanitize(message).ShouldBe(expected);

    private static object Throw() => throw new InvalidOperationException("failed reading /tmp/secret/file");

    private static string Flavor(string name, string id) =>
        JsonSerializer.Serialize(new { flavor = new { name, id, ram = 512, vcpus = 1, disk = 1 } });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendRawAsync(ApiHost api, HttpMethod method, string path, byte[] bytes)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

using System.Net;
using System.Text;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// The real service answers only its own clients: a body without a JSON media type is 415, a foreign
/// Host is 400, a CORS preflight gets no allow headers; none leaves anything behind.
/// </summary>
public sealed class FrontDoorServiceTests
{
    private static readonly Dictionary<string, string> SkipHostCheck = new() { ["VIREO_SKIP_HOST_CHECK"] = "1" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_a_web_page_could_send_are_refused_and_leave_nothing_behind()
    {
        await using var service = new VireoService();
        await service.StartAsync(SkipHostCheck);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromMinutes(2) };
        var flavorsBefore = await FlavorNamesAsync(http);

        // A form post from a page: no Content-Type at all, then text/plain (both "simple" requests, no preflight).
        using (var noType = new HttpRequestMessage(HttpMethod.Post, new Uri("v2.1/flavors", UriKind.Relative)))
        {
            noType.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"flavor": {"name": "csrf", "ram": 128, "vcpus": 1, "disk": 1}}"""));
            using var response = await http.SendAsync(noType, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
            (await FaultAsync(response, "badMediaType")).ShouldBe("the request has no Content-Type header; send the JSON body with Content-Type: application/json");
        }

        using (var plain = new StringContent("""{"server": {"name": "csrf", "imageRef": "x", "flavorRef": "m1.tiny"}}""", Encoding.UTF8, "text/plain"))
        using (var response = await http.PostAsync(new Uri("v2.1/servers", UriKind.Relative), plain, Ct))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
            (await FaultAsync(response, "badMediaType")).ShouldContain("Content-Type 'text/plain; charset=utf-8' is not supported here");
        }

        // DNS rebinding: the page's own name in Host, the request reaching 127.0.0.1.
        using (var rebound = new HttpRequestMessage(HttpMethod.Post, new Uri("v2.1/flavors", UriKind.Relative)))
        {
            rebound.Headers.Host = $"attacker.example:{service.Port}";
            rebound.Content = new StringContent("""{"flavor": {"name": "rebound", "ram": 128, "vcpus": 1, "disk": 1}}""", Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(rebound, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await FaultAsync(response, "badRequest")).ShouldContain($"the Host header 'attacker.example:{service.Port}' is not a name of this service; if a proxy or DNS name points here, add it to [vireo] allowed_hosts");
        }

        // A CORS preflight: refused, and nothing that would let the browser go on.
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri("v2.1/servers", UriKind.Relative)))
        {
            preflight.Headers.Add("Origin", "http://attacker.example");
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
            using var response = await http.SendAsync(preflight, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
            response.Headers.Concat(response.Content.Headers).Select(header => header.Key)
                .ShouldNotContain(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }

        // Nothing was made, and the service still answers its own client.
        (await FlavorNamesAsync(http)).ShouldBe(flavorsBefore);
        var servers = await service.CliAsync("server", "list");
        servers.ExitCode.ShouldBe(0, servers.ToString());
        servers.Json.GetArrayLength().ShouldBe(0);
        var flavors = await service.CliAsync("flavor", "list");
        flavors.ExitCode.ShouldBe(0, flavors.ToString());
        service.HasExited.ShouldBeFalse();
        service.Log.ShouldContain("Host header 'attacker.example");
    }

    private static async Task<string[]> FlavorNamesAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("v2.1/flavors", UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("flavors").EnumerateArray()
            .Select(flavor => flavor.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static async Task<string> FaultAsync(HttpResponseMessage response, string name)
    {
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        return body.GetProperty(name).GetProperty("message").GetString()!;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// The real service answers input that used to be a 500 with a 4xx: a lone surrogate, bytes that
/// are not UTF-8, a microversion that overflows or is in another script's digits, a control
/// character in the path, a flavor id that is another flavor's name, console output read while the
/// server is deleted. Disposing the service fails the test if it logged any 500.
/// </summary>
public sealed class NastyInputServiceTests
{
    [Fact]
    public async Task Nasty_inputs_are_answered_4xx_and_the_service_logs_no_500()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromMinutes(2) };

        var (surrogate, surrogateBody) = await SendAsync(http, HttpMethod.Post, "v2.1/servers",
            Encoding.UTF8.GetBytes("""{"server": {"name": "web\ud800", "imageRef": "vireo-test", "flavorRef": "1"}}"""));
        surrogate.ShouldBe(HttpStatusCode.BadRequest, surrogateBody);
        surrogateBody.ShouldContain("'server.name' contains a lone surrogate");

        var (notUtf8, notUtf8Body) = await SendAsync(http, HttpMethod.Post, "v2.1/flavors",
            [.. "{\"flavor\": {\"name\": \""u8, 0xC3, 0x28, .. "\", \"ram\": 64, \"vcpus\": 1, \"disk\": 1}}"u8]);
        notUtf8.ShouldBe(HttpStatusCode.BadRequest, notUtf8Body);
        notUtf8Body.ShouldContain("not valid UTF-8 at byte 22");

        foreach (var version in new[] { "compute 2.99999999999999999999", "compute 99999999999.1", "compute \u0662.\u0661" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2.1/servers");
            request.Headers.TryAddWithoutValidation("OpenStack-API-Version", version);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            ((int)response.StatusCode).ShouldBe(400, version);
        }

        var (control, controlBody) = await SendAsync(http, HttpMethod.Get, "v2.1/servers/web%071", body: null);
        control.ShouldBe(HttpStatusCode.BadRequest, controlBody);

        var (clash, clashBody) = await SendAsync(http, HttpMethod.Post, "v2.1/flavors",
            Encoding.UTF8.GetBytes("""{"flavor": {"name": "m1.clash", "id": "m1.tiny", "ram": 64, "vcpus": 1, "disk": 1}}"""));
        clash.ShouldBe(HttpStatusCode.Conflict, clashBody);
        clashBody.ShouldContain("is the name of flavor 'm1.tiny'");
    }

    [Fact]
    public async Task Console_output_read_while_the_server_is_deleted_is_200_or_404_never_a_500()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var id = await ServiceScenario.CreateServerAsync(service, "racer");
        File.Exists(Path.Combine(service.InstancesPath, id.ToString("D"), "console.log")).ShouldBeTrue();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromMinutes(2) };
        var console = Encoding.UTF8.GetBytes("""{"os-getConsoleOutput": {"length": 10}}""");

        // Reads keep coming while the delete removes the server and its files.
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var statuses = new List<HttpStatusCode>();
            while (!stop.IsCancellationRequested)
            {
                statuses.Add((await SendAsync(http, HttpMethod.Post, $"v2.1/servers/{id}/action", console)).Status);
            }

            return statuses;
        })).ToList();
        var (deleted, deleteBody) = await SendAsync(http, HttpMethod.Delete, $"v2.1/servers/{id}", body: null);
        deleted.ShouldBe(HttpStatusCode.NoContent, deleteBody);
        await BootTestImageTests.WaitFor(
            () => SendAsync(http, HttpMethod.Get, $"v2.1/servers/{id}", body: null).Result.Status == HttpStatusCode.NotFound,
            TimeSpan.FromMinutes(3), () => $"server {id} was not gone 3 minutes after its delete");
        await stop.CancelAsync();
        var seen = (await Task.WhenAll(readers)).SelectMany(statuses => statuses).ToList();

        seen.ShouldNotBeEmpty();
        seen.ShouldAllBe(status => status == HttpStatusCode.OK || status == HttpStatusCode.NotFound);
        var (after, afterBody) = await SendAsync(http, HttpMethod.Post, $"v2.1/servers/{id}/action", console);
        after.ShouldBe(HttpStatusCode.NotFound, afterBody);
        afterBody.ShouldContain("itemNotFound");
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length > 0 && (int)response.StatusCode >= 400)
        {
            // Every refusal is Nova's error body.
            using var document = JsonDocument.Parse(text);
            document.RootElement.EnumerateObject().Count().ShouldBe(1, text);
        }

        return (response.StatusCode, text);
    }
}

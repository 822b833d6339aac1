using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// A hung libvirtd (SIGSTOP: its socket accepts, nothing answers) under a running service. Run
/// against a libvirtd of the test's own, never the shared one.
/// </summary>
public sealed class LibvirtHangTests
{
    /// <summary>Every request answers within this while libvirt hangs (3 s call timeout + slack for a loaded machine).</summary>
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_hung_libvirtd_gets_503_within_seconds_while_database_reads_keep_answering_and_the_service_recovers_when_it_resumes()
    {
        await using var libvirtd = await PrivateLibvirtd.StartAsync(TimeSpan.FromMinutes(2));
        await using var service = new VireoService($"connection_uri = {libvirtd.Uri}");
        try
        {
            await HangAndRecoverAsync(libvirtd, service);
        }
        catch (Exception e) when (e is not ShouldAssertException)
        {
            // A crash shows in the log's last lines only once the process has gone.
            await Task.Delay(2000, TestContext.Current.CancellationToken);
            throw new InvalidOperationException($"{e.GetType().Name}: {e.Message}; exited: {service.HasExited}; service log: {service.Log}", e);
        }
    }

    private static async Task HangAndRecoverAsync(PrivateLibvirtd libvirtd, VireoService service)
    {
        // The host check's acceleration probe is not what this test is about; the service talks to the private daemon.
        await service.StartAsync(new Dictionary<string, string> { ["VIREO_SKIP_HOST_CHECK"] = "1" });
        var imageId = await ServiceScenario.ImportTestImageAsync(service);
        var suffix = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..8];
        var name = "hang-" + suffix;
        var id = await ServiceScenario.CreateServerAsync(service, name);
        service.OwnedDomains().ShouldBeEmpty("the guest must run on the private libvirtd, not the shared one");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromMinutes(1) };
        var stopBody = """{"os-stop": null}""";

        var rounds = 0;
        libvirtd.Pause();
        try
        {
            var hung = Stopwatch.StartNew();
            while (hung.Elapsed < Hang)
            {
                // Requests that need libvirt: refused as unavailable, promptly, nothing written.
                var create = await TimedAsync(http, HttpMethod.Post, "v2.1/servers",
                    $$$"""{"server": {"name": "hang-new-{{{suffix}}}-{{{rounds}}}", "imageRef": "{{{imageId}}}", "flavorRef": "m1.tiny"}}""");
                create.ShouldBeUnavailableWithin(Answer, "server create");
                var stop = await TimedAsync(http, HttpMethod.Post, $"v2.1/servers/{id}/action", stopBody);
                stop.ShouldBeUnavailableWithin(Answer, "server stop");

                // Requests that read the database: answered as usual.
                (await TimedAsync(http, HttpMethod.Get, "v2.1/flavors")).ShouldBeOkWithin(Answer, "flavor list");
                (await TimedAsync(http, HttpMethod.Get, "v2.1/flavors/m1.tiny")).ShouldBeOkWithin(Answer, "flavor show");
                (await TimedAsync(http, HttpMethod.Get, "image/v2/images")).ShouldBeOkWithin(Answer, "image list");
                (await TimedAsync(http, HttpMethod.Get, $"image/v2/images/{imageId}")).ShouldBeOkWithin(Answer, "image show");
                var list = await TimedAsync(http, HttpMethod.Get, "v2.1/servers");
                list.ShouldBeOkWithin(Answer, "server list");
                list.Json.GetProperty("servers").GetArrayLength().ShouldBe(1, "a refused create must leave no server behind");
                var show = await TimedAsync(http, HttpMethod.Get, $"v2.1/servers/{id}");
                show.ShouldBeOkWithin(Answer, "server show");
                show.Json.GetProperty("server").GetProperty("status").GetString().ShouldBe("ACTIVE");
                rounds++;
            }
        }
        finally
        {
            libvirtd.Resume();
        }

        rounds.ShouldBeGreaterThanOrEqualTo(2);
        service.Log.ShouldContain("did not answer within");

        // Once libvirtd answers again, a request that needs it succeeds within a minute.
        var recovering = Stopwatch.StartNew();
        while (true)
        {
            var stop = await TimedAsync(http, HttpMethod.Post, $"v2.1/servers/{id}/action", stopBody);
            if (stop.Status == HttpStatusCode.Accepted)
            {
                break;
            }

            stop.Status.ShouldBe(HttpStatusCode.ServiceUnavailable, stop.ToString());
            recovering.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1), $"libvirt-bound requests still fail a minute after the daemon resumed: {stop}; log: {service.Log}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await ServiceScenario.WaitForStatusAsync(service, name, "SHUTOFF", TimeSpan.FromMinutes(3));
        service.Log.ShouldContain("reconnected to");
        var delete = await service.CliAsync("server", "delete", name, "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
    }

    private static async Task<Timed> TimedAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Timed($"{method} {path}", response.StatusCode, clock.Elapsed, body,
            response.Headers.RetryAfter?.Delta);
    }

    private sealed record Timed(string Request, HttpStatusCode Status, TimeSpan Elapsed, string Body, TimeSpan? RetryAfter)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public void ShouldBeUnavailableWithin(TimeSpan limit, string what)
        {
            Status.ShouldBe(HttpStatusCode.ServiceUnavailable, $"{what}: {this}");
            Elapsed.ShouldBeLessThan(limit, $"{what}: {this}");
            Body.ShouldContain("did not answer within", Case.Sensitive, $"{what}: {this}");
            RetryAfter.ShouldNotBeNull($"{what}: {this}");
        }

        public void ShouldBeOkWithin(TimeSpan limit, string what)
        {
            Status.ShouldBe(HttpStatusCode.OK, $"{what}: {this}");
            Elapsed.ShouldBeLessThan(limit, $"{what}: {this}");
        }

        public override string ToString() => $"{Request} -> {(int)Status} after {Elapsed.TotalSeconds:0.00} s: {Body}";
    }
}

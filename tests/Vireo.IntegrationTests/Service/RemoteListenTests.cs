using System.Net;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// An API without authentication on a non-loopback address refuses to start (exit 78) unless the
/// operator sets [vireo] allow_unauthenticated_remote_api, and then it warns at start.
/// </summary>
public sealed class RemoteListenTests
{
    private static readonly Dictionary<string, string> SkipHostCheck = new() { ["VIREO_SKIP_HOST_CHECK"] = "1" };

    [Fact]
    public async Task A_wildcard_listen_without_the_option_exits_78_with_one_sentence_and_touches_no_state()
    {
        await using var service = new VireoService(listen: "0.0.0.0");

        var refused = await VireoService.RunCliAsync(["serve", "--config-file", service.ConfigPath], TimeSpan.FromMinutes(3));

        refused.ExitCode.ShouldBe(78, refused.ToString());
        refused.Stderr.Trim().ShouldBe(
            "vireo: [DEFAULT] osapi_compute_listen = 0.0.0.0 is not a loopback address and the API has no authentication, so anyone reaching the port would control every server; listen on 127.0.0.1 (and reach it through an authenticating proxy) or set [vireo] allow_unauthenticated_remote_api = true to accept that");
        Directory.Exists(service.StatePath).ShouldBeFalse("nothing under state_path is made by a refused start");
    }

    [Fact]
    public async Task With_the_option_it_starts_and_logs_the_warning()
    {
        await using var service = new VireoService(listen: "0.0.0.0", vireoConfig: "allow_unauthenticated_remote_api = true");

        await service.StartAsync(SkipHostCheck);

        service.HasExited.ShouldBeFalse();
        service.Log.ShouldContain("[DEFAULT] osapi_compute_listen = 0.0.0.0 is not a loopback address and the API has no authentication");
        var flavors = await service.CliAsync("flavor", "list");
        flavors.ExitCode.ShouldBe(0, flavors.ToString());

        // Reached under a name that is not loopback, the Host is refused unless allowed_hosts names it:
        // a documentation address as the Host header, and this machine's own non-loopback address when it has
        // one (read from the interfaces: a fresh root may have no name for itself in DNS or /etc/hosts).
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{service.Port}/v2.1/flavors")))
        {
            request.Headers.Host = $"192.0.2.10:{service.Port}";
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var other = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(address => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(address));
        if (other is not null)
        {
            using var response = await http.GetAsync(new Uri($"http://{other}:{service.Port}/v2.1/flavors"), TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
    }
}

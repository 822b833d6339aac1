using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// One `vireo serve` per state_path: a second one on the same state exits 69 naming the first one's
/// pid before it touches anything, so the first one's upload in flight completes.
/// </summary>
public sealed class OneServicePerStateTests
{
    private static readonly Dictionary<string, string> SkipHostCheck = new() { ["VIREO_SKIP_HOST_CHECK"] = "1" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_serve_on_the_same_state_exits_69_naming_the_first_and_the_first_ones_upload_completes()
    {
        await using var service = new VireoService();
        await service.StartAsync(SkipHostCheck);
        var image = await File.ReadAllBytesAsync(TestImage.Qcow2Path, Ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/image/"), Timeout = TimeSpan.FromMinutes(10) };
        using var create = new StringContent("""{"name": "in-flight", "disk_format": "qcow2", "container_format": "bare"}""", Encoding.UTF8, "application/json");
        using var created = await http.PostAsync(new Uri("v2/images", UriKind.Relative), create, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;

        // The upload sends its first part, then waits until the second serve has come and gone.
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var data = new SlowContent(image, resume.Task);
        data.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = http.PutAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), data, Ct);
        try
        {
            var images = Path.Combine(service.StatePath, "images");
            await BootTestImageTests.WaitFor(
                () => Status(http, id).Result == "saving" && Directory.Exists(images) && Directory.GetFiles(images, ".partial-*").Length > 0,
                TimeSpan.FromMinutes(2), () => "the upload never started writing its data");
            var partials = Directory.GetFiles(images, ".partial-*");

            var second = await VireoService.RunCliAsync(["serve", "--config-file", service.ConfigPath], TimeSpan.FromMinutes(3));

            second.ExitCode.ShouldBe(69, second.ToString());
            second.Stderr.Trim().ShouldBe(
                $"vireo: another vireo serve (pid {service.ProcessId}) is running on state_path {service.StatePath} (it holds {Path.Combine(service.StatePath, "vireo.lock")}); stop it first or give this one its own [DEFAULT] state_path");
            Directory.GetFiles(images, ".partial-*").ShouldBe(partials, "the second serve removed the first one's upload in flight");
            (await Status(http, id)).ShouldBe("saving");
        }
        finally
        {
            resume.TrySetResult();
        }

        using var uploaded = await upload;
        uploaded.StatusCode.ShouldBe(HttpStatusCode.NoContent, await uploaded.Content.ReadAsStringAsync(Ct));
        using var shown = await http.GetAsync(new Uri($"v2/images/{id}", UriKind.Relative), Ct);
        var body = JsonDocument.Parse(await shown.Content.ReadAsStringAsync(Ct)).RootElement;
        body.GetProperty("status").GetString().ShouldBe("active");
        body.GetProperty("checksum").GetString().ShouldBe(Convert.ToHexStringLower(MD5.HashData(image)));
        body.GetProperty("os_hash_value").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(image)));
        service.HasExited.ShouldBeFalse();
        service.Log.ShouldNotContain("queued again");
        (await File.ReadAllTextAsync(Path.Combine(service.StatePath, "vireo.lock"), Ct)).Trim().ShouldBe(service.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_port_taken_by_another_program_exits_69_with_one_sentence_and_frees_the_state()
    {
        await using var service = new VireoService();
        using var squatter = new TcpListener(IPAddress.Loopback, service.Port);
        squatter.Start();

        var refused = await VireoService.RunCliAsync(["serve", "--skip-host-check", "--config-file", service.ConfigPath], TimeSpan.FromMinutes(3));

        refused.ExitCode.ShouldBe(69, refused.ToString());
        refused.Stderr.ShouldContain($"vireo: cannot listen on 127.0.0.1:{service.Port}");
        refused.Stderr.ShouldContain("set [DEFAULT] osapi_compute_listen_port");
        refused.Stderr.ShouldNotContain("   at ");
        squatter.Stop();

        // The lock went with the refused process: the same state serves again.
        await service.StartAsync(SkipHostCheck);
        service.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task A_state_path_the_service_cannot_lock_exits_78_with_one_sentence()
    {
        await using var service = new VireoService();
        await File.WriteAllTextAsync(service.StatePath, "a file where the state directory should be", Ct);

        var refused = await VireoService.RunCliAsync(["serve", "--skip-host-check", "--config-file", service.ConfigPath], TimeSpan.FromMinutes(3));

        refused.ExitCode.ShouldBe(78, refused.ToString());
        refused.Stderr.ShouldStartWith($"vireo: cannot open {Path.Combine(service.StatePath, "vireo.lock")} (");
        refused.Stderr.Trim().ShouldEndWith($"[DEFAULT] state_path = {service.StatePath} must be a directory the service's user can write");
        refused.Stderr.ShouldNotContain("   at ");
    }

    private static async Task<string?> Status(HttpClient http, string id)
    {
        using var response = await http.GetAsync(new Uri($"v2/images/{id}", UriKind.Relative), Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString();
    }

    /// <summary>Sends the first 1 MiB, waits for <paramref name="resume"/>, then the rest in small slow pieces.</summary>
    private sealed class SlowContent(byte[] data, Task resume) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            const int first = 1 << 20;
            await stream.WriteAsync(data.AsMemory(0, first));
            await stream.FlushAsync();
            await resume.WaitAsync(TimeSpan.FromMinutes(5));
            for (var offset = first; offset < data.Length; offset += 1 << 20)
            {
                await stream.WriteAsync(data.AsMemory(offset, Math.Min(1 << 20, data.Length - offset)));
                await Task.Delay(10);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = data.Length;
            return true;
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Images;

/// <summary>
/// Glance's two-step upload as the OpenStack client does it (POST /v2/images, PUT .../file), against
/// the real service: the data is checked like an import, downloads back byte for byte, and boots.
/// </summary>
public sealed class GlanceUploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Created_image_takes_its_data_once_checked_downloads_it_back_and_a_server_boots_from_it()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/image/"), Timeout = TimeSpan.FromMinutes(5) };

        using var create = new StringContent("""{"name": "glance-style", "disk_format": "qcow2", "container_format": "bare", "hw_qemu_guest_agent": "yes"}""", Encoding.UTF8, "application/json");
        using var created = await http.PostAsync(new Uri("v2/images", UriKind.Relative), create, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;

        // Raw bytes declared qcow2: refused with the inspector's reason, the image stays queued.
        using (var wrong = new ByteArrayContent(new byte[1 << 20]))
        {
            wrong.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var refused = await http.PutAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), wrong, Ct);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("[format.mismatch]");
        }

        (await Status(http, id)).ShouldBe("queued");

        await using (var file = File.OpenRead(TestImage.Qcow2Path))
        {
            using var data = new StreamContent(file);
            data.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await http.PutAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), data, Ct);
            uploaded.StatusCode.ShouldBe(HttpStatusCode.NoContent, await uploaded.Content.ReadAsStringAsync(Ct));
        }

        (await Status(http, id)).ShouldBe("active");
        using (var download = await http.GetAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            download.StatusCode.ShouldBe(HttpStatusCode.OK);
            var bytes = await download.Content.ReadAsByteArrayAsync(Ct);
            bytes.ShouldBe(await File.ReadAllBytesAsync(TestImage.Qcow2Path, Ct));
            download.Content.Headers.TryGetValues("Content-MD5", out var md5).ShouldBeTrue();
            md5!.Single().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes)));
        }

        var server = await service.CliAsync("server", "create", "from-glance", "--image", id, "--flavor", "m1.tiny", "--wait", "--timeout", "600");
        server.ExitCode.ShouldBe(0, server.ToString());
        server.Json.GetProperty("status").GetString().ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task An_upload_cut_by_a_killed_service_leaves_the_image_queued_again_after_restart_with_no_partial_data()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        var id = await CreateQueuedAsync(service);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var stall = new CancellationTokenSource();
        using var stalling = new StallingContent(stall.Token);
        stalling.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = http.PutAsync(new Uri($"http://127.0.0.1:{service.Port}/image/v2/images/{id}/file"), stalling, stall.Token);
        using (var status = new HttpClient())
        {
            // Saving is recorded before the data file is made: wait for both, so the kill cuts the data.
            var images = Path.Combine(service.Root, "state", "images");
            await BootTestImageTests.WaitFor(
                () => Status(status, service.Port, id).Result == "saving" && Directory.Exists(images) && Directory.GetFiles(images, ".partial-*").Length > 0,
                TimeSpan.FromMinutes(2), () => "the upload never started writing its data");
        }

        await service.StopAsync();
        await stall.CancelAsync();
        await Should.ThrowAsync<Exception>(() => upload);
        Directory.GetFiles(Path.Combine(service.Root, "state", "images"), ".partial-*").ShouldNotBeEmpty();
        await service.StartAsync();

        using var after = new HttpClient();
        (await Status(after, service.Port, id)).ShouldBe("queued");
        Directory.GetFiles(Path.Combine(service.Root, "state", "images")).ShouldBeEmpty();
        service.Log.ShouldContain("was left saving by a killed upload; it is queued again");
    }

    private static async Task<string> CreateQueuedAsync(VireoService service)
    {
        using var http = new HttpClient();
        using var body = new StringContent("""{"name": "cut", "disk_format": "raw", "container_format": "bare"}""", Encoding.UTF8, "application/json");
        using var created = await http.PostAsync(new Uri($"http://127.0.0.1:{service.Port}/image/v2/images"), body, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string?> Status(HttpClient http, int port, string id)
    {
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/image/v2/images/{id}"), Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString();
    }

    /// <summary>Sends 1 MiB, then waits (the upload stays open) until cancelled.</summary>
    private sealed class StallingContent(CancellationToken stall) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(new byte[1 << 20], stall);
            await stream.FlushAsync(stall);
            await Task.Delay(Timeout.Infinite, stall);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>The real glance CLI (python3-glanceclient, installed by scripts/test) against the service, token-less.</summary>
    [Fact]
    public async Task The_glance_client_creates_lists_and_is_refused_with_the_inspectors_reason()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        string[] glance = ["--os-image-api-version", "2", "--os-image-url", $"http://127.0.0.1:{service.Port}/image", "--os-auth-token", "unused"];

        var created = await RunAsync("glance", [.. glance, "image-create", "--name", "by-glance", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", "hw_qemu_guest_agent=yes", "--file", TestImage.Qcow2Path]);
        var refused = await RunAsync("glance", [.. glance, "image-create", "--name", "glance-wrong", "--disk-format", "raw", "--container-format", "bare",
            "--file", TestImage.Qcow2Path]);
        var listed = await RunAsync("glance", [.. glance, "image-list"]);

        created.ExitCode.ShouldBe(0, created.ToString());
        created.Stdout.ShouldContain("| status              | active");
        created.Stdout.ShouldContain($"| checksum            | {Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(await File.ReadAllBytesAsync(TestImage.Qcow2Path, Ct)))}");
        refused.ExitCode.ShouldNotBe(0, refused.ToString());
        refused.Stderr.ShouldContain("image 'glance-wrong' is refused: the image is declared as raw but its content is qcow2");
        refused.Stderr.ShouldContain("[format.mismatch]");
        listed.Stdout.ShouldContain("by-glance");
        var images = await service.CliAsync("image", "list");
        images.Json.EnumerateArray().Select(i => (i.GetProperty("name").GetString(), i.GetProperty("status").GetString()))
            .ShouldBe([("glance-wrong", "queued"), ("by-glance", "active")], ignoreOrder: true);
    }

    private static async Task<CliResult> RunAsync(string program, IReadOnlyList<string> args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string?> Status(HttpClient http, string id)
    {
        using var response = await http.GetAsync(new Uri($"v2/images/{id}", UriKind.Relative), Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString();
    }
}

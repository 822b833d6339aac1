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

    private static async Task<string?> Status(HttpClient http, string id)
    {
        using var response = await http.GetAsync(new Uri($"v2/images/{id}", UriKind.Relative), Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString();
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Images;

/// <summary>
/// One client cannot fill the disk or stall the service: the JSON body cap, [image] image_size_cap
/// (streamed and declared), and a full filesystem (a small tmpfs as state_path), each answered
/// 413 with nothing left behind while the service keeps answering.
/// </summary>
public sealed class ImageBoundsTests
{
    private const int Cap = 1 << 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_oversized_json_body_gets_413_and_the_service_keeps_answering()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        using var http = Client(service);

        using var huge = new StringContent("{\"name\": \"" + new string('x', 2 << 20) + "\", \"disk_format\": \"raw\"}", Encoding.UTF8, "application/json");
        using var refused = await http.PostAsync(new Uri("v2/images", UriKind.Relative), huge, Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await refused.Content.ReadAsStringAsync(Ct));
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("larger than 1024 KiB");
        using var list = await http.GetAsync(new Uri("v2/images", UriKind.Relative), Ct);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        service.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task An_upload_past_the_cap_gets_413_keeps_nothing_and_a_declared_length_over_the_cap_is_refused_before_storing()
    {
        await using var service = new VireoService($"[image]\nimage_size_cap = {Cap}");
        await service.StartAsync();
        using var http = Client(service);
        var images = Path.Combine(service.Root, "state", "images");
        var id = await CreateQueuedAsync(http, "capped");

        // Streamed without a length: the store stops at the first byte over the cap.
        using (var over = new GeneratedContent(Cap + 1))
        {
            using var refused = await http.PutAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), over, Ct);
            refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await refused.Content.ReadAsStringAsync(Ct));
            (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("The incoming image is too large: The provided image is too large.");
        }

        (await StatusAsync(http, id)).ShouldBe("queued");
        FilesIn(images).ShouldBeEmpty();

        // Declared too long: answered before a byte of the body is sent.
        var upload = await RawRequestAsync(service.Port, $"PUT /image/v2/images/{id}/file", Cap + 1);
        var import = await RawRequestAsync(service.Port, "POST /image/v2/vireo-import?name=declared&disk_format=raw", 2L * Cap);
        foreach (var response in new[] { upload, import })
        {
            response.ShouldStartWith("HTTP/1.1 413");
            response.ShouldContain("The incoming image is too large");
        }

        (await StatusAsync(http, id)).ShouldBe("queued");
        FilesIn(images).ShouldBeEmpty();
        var names = await ImageNamesAsync(http);
        names.ShouldBe(["capped"]);

        // Exactly the cap fits.
        using (var exact = new GeneratedContent(Cap))
        {
            using var accepted = await http.PutAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), exact, Ct);
            accepted.StatusCode.ShouldBe(HttpStatusCode.NoContent, await accepted.Content.ReadAsStringAsync(Ct));
        }

        (await StatusAsync(http, id)).ShouldBe("active");
        service.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task An_upload_that_fills_the_filesystem_gets_413_in_glances_words_leaves_nothing_and_the_next_small_upload_succeeds()
    {
        var service = new VireoService();
        var state = Path.Combine(service.Root, "state");
        Directory.CreateDirectory(state);
        var mounted = false;
        try
        {
            Processes.Run("mount", ["-t", "tmpfs", "-o", "size=48M", "tmpfs", state], TimeSpan.FromMinutes(1));
            mounted = true;
            await service.StartAsync();
            using var http = Client(service);
            var images = Path.Combine(state, "images");
            var id = await CreateQueuedAsync(http, "filler");

            using (var tooBig = new GeneratedContent(64L << 20))
            {
                using var refused = await http.PutAsync(new Uri($"v2/images/{id}/file", UriKind.Relative), tooBig, Ct);
                var body = await refused.Content.ReadAsStringAsync(Ct);
                refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, body);
                body.ShouldContain("Image storage media is full: ");
            }

            FilesIn(images).ShouldBeEmpty();
            (await StatusAsync(http, id)).ShouldBe("queued");
            service.Log.ShouldContain($"image store: the storage under {images} is full");

            var small = await CreateQueuedAsync(http, "small");
            using (var fits = new GeneratedContent(Cap))
            {
                using var accepted = await http.PutAsync(new Uri($"v2/images/{small}/file", UriKind.Relative), fits, Ct);
                accepted.StatusCode.ShouldBe(HttpStatusCode.NoContent, await accepted.Content.ReadAsStringAsync(Ct));
            }

            (await StatusAsync(http, small)).ShouldBe("active");
            FilesIn(images).ShouldBe([small]);
            service.HasExited.ShouldBeFalse();
        }
        finally
        {
            await service.StopAsync();
            if (mounted)
            {
                Processes.Run("umount", [state], TimeSpan.FromMinutes(1));
            }

            await service.DisposeAsync();
        }
    }

    private static HttpClient Client(VireoService service) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/image/"), Timeout = TimeSpan.FromMinutes(5) };

    private static IReadOnlyList<string> FilesIn(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>()] : [];

    private static async Task<string> CreateQueuedAsync(HttpClient http, string name)
    {
        using var body = new StringContent($$"""{"name": "{{name}}", "disk_format": "raw", "container_format": "bare"}""", Encoding.UTF8, "application/json");
        using var created = await http.PostAsync(new Uri("v2/images", UriKind.Relative), body, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string?> StatusAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync(new Uri($"v2/images/{id}", UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString();
    }

    private static async Task<IReadOnlyList<string?>> ImageNamesAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("v2/images", UriKind.Relative), Ct);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("name").GetString())];
    }

    /// <summary>
    /// Sends only the request line and headers, declaring <paramref name="contentLength"/> bytes that
    /// never come, and returns what the service answers: an answer at all proves it refused before
    /// reading the body.
    /// </summary>
    private static async Task<string> RawRequestAsync(int port, string requestLine, long contentLength)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        await using var stream = client.GetStream();
        var head = $"{requestLine} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/octet-stream\r\nContent-Length: {contentLength.ToString(CultureInfo.InvariantCulture)}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (!IsComplete(received.ToString()))
        {
            var read = await stream.ReadAsync(buffer, deadline.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    /// <summary>A whole response: headers and a Content-Length body, or a chunked body up to its last chunk.</summary>
    private static bool IsComplete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = response[..end];
        var lengthLine = headers.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is not null)
        {
            return Encoding.UTF8.GetByteCount(response[(end + 4)..]) >= long.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        }

        return response.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }

    /// <summary><paramref name="length"/> bytes of a raw image, streamed in 1 MiB writes without a declared length (chunked).</summary>
    private sealed class GeneratedContent : HttpContent
    {
        private readonly long _length;

        public GeneratedContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var block = new byte[1 << 20];
            new Random(12).NextBytes(block);
            for (long sent = 0; sent < _length; sent += block.Length)
            {
                await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, _length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

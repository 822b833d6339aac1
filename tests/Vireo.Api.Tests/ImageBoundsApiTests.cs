using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vireo.Core;

namespace Vireo.Api.Tests;

/// <summary>The image endpoints' front-door bounds: a declared Content-Length over image_size_cap, Retry-After on 503, the JSON body cap.</summary>
public sealed class ImageBoundsApiTests
{
    private const long Cap = 1000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ByteArrayContent Bytes(int length)
    {
        var content = new ByteArrayContent(new byte[length]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    [Fact]
    public async Task An_import_declaring_more_than_the_cap_is_refused_with_413_before_the_store_reads_a_byte()
    {
        await using var api = await ApiHost.StartAsync(options: new ComputeApiOptions { ImageSizeCapBytes = Cap });

        using var over = Bytes((int)Cap + 1);
        using var refused = await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=big&disk_format=raw", UriKind.Relative), over, Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var body = await refused.Content.ReadAsStringAsync(Ct);
        body.ShouldContain("\"overLimit\"");
        body.ShouldContain("The incoming image is too large: The provided image is too large. Its Content-Length 1001 is over the image size cap of 1000 bytes");
        api.Fakes.Images.LastImport.ShouldBeNull();

        using var exact = Bytes((int)Cap);
        using var accepted = await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=fits&disk_format=raw", UriKind.Relative), exact, Ct);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_upload_declaring_more_than_the_cap_is_refused_and_the_image_stays_queued()
    {
        await using var api = await ApiHost.StartAsync(options: new ComputeApiOptions { ImageSizeCapBytes = Cap });
        var queued = api.Fakes.Images.Add("queued", ImageStatus.Queued, DiskFormat.Raw);

        using var over = Bytes(4096);
        using var refused = await api.Client.PutAsync(new Uri($"/image/v2/images/{queued.Id}/file", UriKind.Relative), over, Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await api.Fakes.Images.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
    }

    [Fact]
    public async Task A_store_at_its_concurrency_limit_answers_503_with_retry_after()
    {
        await using var api = await ApiHost.StartAsync();

        using var data = Bytes(16);
        using var response = await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=busy&disk_format=raw", UriKind.Relative), data, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_json_body_over_one_mib_is_refused_with_413_and_the_api_keeps_answering()
    {
        await using var api = await ApiHost.StartAsync();

        var huge = "{\"name\": \"" + new string('x', 2 << 20) + "\"}";
        using var content = new StringContent(huge, Encoding.UTF8, "application/json");
        using var refused = await api.Client.PostAsync(new Uri("/image/v2/images", UriKind.Relative), content, Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await api.GetAsync("/image/v2/images")).Status.ShouldBe(HttpStatusCode.OK);
    }
}

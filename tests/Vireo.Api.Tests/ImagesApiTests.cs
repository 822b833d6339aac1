using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Vireo.Core;

namespace Vireo.Api.Tests;

public sealed class ImagesApiTests
{
    private static readonly string[] ImageKeys =
    [
        "id", "name", "status", "visibility", "protected", "os_hidden", "checksum", "os_hash_algo", "os_hash_value",
        "owner", "size", "virtual_size", "min_disk", "min_ram", "disk_format", "container_format", "created_at",
        "updated_at", "tags", "self", "file", "schema",
    ];

    [Fact]
    public async Task List_has_Glance_v2_images_with_properties_as_top_level_keys()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros", properties: new Dictionary<string, string> { ["hw_qemu_guest_agent"] = "yes" });

        var (status, body, _) = await api.GetAsync("/image/v2/images");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldHaveExactlyKeys("images", "first", "schema");
        body.GetProperty("first").GetString().ShouldBe("/v2/images");
        body.GetProperty("schema").GetString().ShouldBe("/v2/schemas/images");
        var view = body.GetProperty("images").EnumerateArray().ShouldHaveSingleItem();
        view.ShouldHaveExactlyKeys([.. ImageKeys, "hw_qemu_guest_agent"]);
        view.GetProperty("id").GetString().ShouldBe(image.Id.ToString());
        view.GetProperty("status").GetString().ShouldBe("active");
        view.GetProperty("hw_qemu_guest_agent").GetString().ShouldBe("yes");
        view.GetProperty("os_hash_algo").GetString().ShouldBe("sha256");
        view.GetProperty("checksum").GetString().ShouldBe(image.Md5);
        view.ShouldBeKind("size", JsonValueKind.Number);
        view.GetProperty("self").GetString().ShouldBe($"/v2/images/{image.Id}");
        view.GetProperty("file").GetString().ShouldBe($"/v2/images/{image.Id}/file");
        view.GetProperty("schema").GetString().ShouldBe("/v2/schemas/image");
        view.GetProperty("created_at").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
    }

    [Fact]
    public async Task List_filters_by_exact_name_and_by_ids()
    {
        await using var api = await ApiHost.StartAsync();
        var cirros = api.Fakes.Images.Add("cirros");
        var debian = api.Fakes.Images.Add("debian");
        api.Fakes.Images.Add("cirros-old");

        var (_, byName, _) = await api.GetAsync("/image/v2/images?name=cirros");
        var (_, byIds, _) = await api.GetAsync($"/image/v2/images?id=in:{cirros.Id},{debian.Id}");

        byName.GetProperty("images").EnumerateArray().Select(image => image.GetProperty("id").GetString()).ShouldBe([cirros.Id.ToString()]);
        byIds.GetProperty("images").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Show_answers_the_image_and_an_unknown_or_malformed_id_is_a_404()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");

        var (status, body, _) = await api.GetAsync($"/image/v2/images/{image.Id}");
        var (unknown, _, _) = await api.GetAsync($"/image/v2/images/{Guid.NewGuid()}");
        var (malformed, error, _) = await api.GetAsync("/image/v2/images/cirros");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldHaveExactlyKeys(ImageKeys);
        unknown.ShouldBe(HttpStatusCode.NotFound);
        malformed.ShouldBe(HttpStatusCode.NotFound);
        error.ShouldBeFault("itemNotFound", 404);
    }

    [Fact]
    public async Task Delete_answers_204_and_then_404()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros");

        var (status, _, _) = await api.SendAsync(HttpMethod.Delete, $"/image/v2/images/{image.Id}");
        var (again, body, _) = await api.SendAsync(HttpMethod.Delete, $"/image/v2/images/{image.Id}");

        status.ShouldBe(HttpStatusCode.NoContent);
        again.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404);
    }

    [Fact]
    public async Task Import_of_20_MB_streams_the_body_into_the_store_and_answers_201_with_the_image()
    {
        await using var api = await ApiHost.StartAsync();
        const long size = 20L << 20;
        using var content = new GatedContent(size, () => api.Fakes.Images.Received >= size / 4);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await api.Client.PostAsync(
            new Uri("/image/v2/vireo-import?name=big&disk_format=raw&property=hw_qemu_guest_agent=yes&property=os_distro=cirros&min_disk=1", UriKind.Relative),
            content,
            TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.Created, body.ToString());
        content.WaitedForTheService.ShouldBeTrue();
        var received = api.Fakes.Images.LastImport.ShouldNotBeNull();
        received.CanSeek.ShouldBeFalse();
        received.Bytes.ShouldBe(size);
        body.ShouldHaveExactlyKeys([.. ImageKeys, "hw_qemu_guest_agent", "os_distro"]);
        body.GetProperty("size").GetInt64().ShouldBe(size);
        body.GetProperty("os_hash_value").GetString().ShouldBe(content.Sha256);
        body.GetProperty("disk_format").GetString().ShouldBe("raw");
        body.GetProperty("container_format").GetString().ShouldBe("bare");
        body.GetProperty("min_disk").GetInt32().ShouldBe(1);
        body.GetProperty("os_distro").GetString().ShouldBe("cirros");
        response.Headers.Location!.ToString().ShouldBe(new Uri(api.BaseAddress, $"/image/v2/images/{body.GetProperty("id").GetString()}").ToString());
    }

    [Theory]
    [InlineData("?disk_format=raw", "'name' is required")]
    [InlineData("?name=x&disk_format=zip", "'disk_format' 'zip' is not accepted; use one of raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso")]
    [InlineData("?name=x", "'disk_format' '' is not accepted; use one of raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso")]
    [InlineData("?name=x&disk_format=raw&container_format=tar", "'container_format' must be one of")]
    [InlineData("?name=x&disk_format=raw&property=novalue", "'property' must be written key=value")]
    [InlineData("?name=x&disk_format=raw&property=size=3", "property 'size' is reserved")]
    [InlineData("?name=x&disk_format=raw&property=a=1&property=a=2", "property 'a' is given twice")]
    [InlineData("?name=x&disk_format=raw&min_ram=-1", "'min_ram' must be a non-negative integer")]
    public async Task Import_with_a_bad_query_is_a_400_naming_the_parameter(string query, string message)
    {
        await using var api = await ApiHost.StartAsync();
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await api.Client.PostAsync(new Uri("/image/v2/vireo-import" + query, UriKind.Relative), content, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain(message);
    }

    [Fact]
    public async Task Import_refused_by_the_store_is_a_400_with_its_reason()
    {
        await using var api = await ApiHost.StartAsync();
        using var content = new ByteArrayContent(new byte[4096]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=x&disk_format=vmdk", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain("is not a vmdk file");
    }

    [Fact]
    public async Task Import_with_a_json_body_is_a_415()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.SendAsync(HttpMethod.Post, "/image/v2/vireo-import?name=x&disk_format=raw", "{}");

        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        body.ShouldBeFault("badMediaType", 415);
    }

    [Fact]
    public async Task An_imported_image_boots_a_server_by_name()
    {
        await using var api = await ApiHost.StartAsync();
        using var content = new ByteArrayContent(new byte[1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        (await api.Client.PostAsync(new Uri("/image/v2/vireo-import?name=tiny&disk_format=raw", UriKind.Relative), content, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var (status, body, _) = await api.PostAsync("/v2.1/servers", """{"server": {"name": "web1", "imageRef": "tiny", "flavorRef": "m1.tiny"}}""");
        await api.Compute.WhenIdleAsync();

        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        (await api.GetAsync("/v2.1/servers/" + body.GetProperty("server").GetProperty("id").GetString())).Body.GetProperty("server").GetProperty("status").GetString().ShouldBe(ServerStatus.Active);
    }

    /// <summary>
    /// A body that stops half-way until the service has stored a quarter of it: a service
    /// that buffered the whole body before importing would never get there.
    /// </summary>
    private sealed class GatedContent(long size, Func<bool> serviceIsReading) : HttpContent
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public bool WaitedForTheService { get; private set; }

        public string Sha256 { get; private set; } = string.Empty;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)(i % 251);
            }

            long sent = 0;
            while (sent < size)
            {
                if (!WaitedForTheService && sent >= size / 2)
                {
                    var deadline = DateTime.UtcNow.AddSeconds(20);
                    while (!serviceIsReading())
                    {
                        if (DateTime.UtcNow > deadline)
                        {
                            throw new TimeoutException("the service had not stored a quarter of the body while half of it was sent: it buffers the body");
                        }

                        await Task.Delay(10);
                    }

                    WaitedForTheService = true;
                }

                var count = (int)Math.Min(chunk.Length, size - sent);
                _sha.AppendData(chunk, 0, count);
                await stream.WriteAsync(chunk.AsMemory(0, count));
                await stream.FlushAsync();
                sent += count;
            }

            Sha256 = Convert.ToHexStringLower(_sha.GetHashAndReset());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _sha.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

public sealed class GlanceCreateUploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_answers_201_with_a_queued_image_and_its_location_then_upload_makes_it_active()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, response) = await api.PostAsync("/image/v2/images",
            """{"name": "cirros", "disk_format": "qcow2", "container_format": "bare", "visibility": "public", "hw_qemu_guest_agent": "yes", "min_ram": 64}""");

        status.ShouldBe(HttpStatusCode.Created);
        body.GetProperty("status").GetString().ShouldBe("queued");
        body.ShouldBeKind("size", JsonValueKind.Null);
        body.GetProperty("hw_qemu_guest_agent").GetString().ShouldBe("yes");
        body.GetProperty("min_ram").GetInt32().ShouldBe(64);
        var id = body.GetProperty("id").GetString()!;
        response.Headers.Location!.ToString().ShouldEndWith($"/image/v2/images/{id}");

        using var data = new ByteArrayContent(new byte[8192]);
        data.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await api.Client.PutAsync(new Uri($"/image/v2/images/{id}/file", UriKind.Relative), data, Ct);
        put.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var (_, shown, _) = await api.GetAsync($"/image/v2/images/{id}");
        shown.GetProperty("status").GetString().ShouldBe("active");
        shown.GetProperty("size").GetInt64().ShouldBe(8192);
    }

    [Fact]
    public async Task Create_with_several_mistakes_names_each_of_them_in_one_400()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/image/v2/images",
            """{"name": "x", "disk_format": "ploop", "container_format": "tar", "size": 5, "hw_disk_bus": "xen", "count": 3, "protected": true}""");

        status.ShouldBe(HttpStatusCode.BadRequest);
        var message = body.ShouldBeFault("badRequest", 400);
        message.ShouldContain("'disk_format' 'ploop' is not accepted");
        message.ShouldContain("'container_format' 'tar' is not accepted");
        message.ShouldContain("'size' is set by the image service; leave it out");
        message.ShouldContain("property 'count' must be a string");
        message.ShouldContain("property hw_disk_bus='xen' is not valid");
        message.ShouldContain("'protected' must be false");
        (await api.Fakes.Images.ListAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Refused_upload_is_a_400_with_the_reason_and_a_second_upload_to_an_active_image_a_409()
    {
        await using var api = await ApiHost.StartAsync();
        var (_, created, _) = await api.PostAsync("/image/v2/images", """{"name": "c", "disk_format": "qcow2", "container_format": "bare"}""");
        var id = created.GetProperty("id").GetString()!;

        using var bad = new ByteArrayContent("bad bytes"u8.ToArray());
        bad.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var refused = await api.Client.PutAsync(new Uri($"/image/v2/images/{id}/file", UriKind.Relative), bad, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("[format.mismatch]");

        using var good = new ByteArrayContent(new byte[512]);
        good.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        (await api.Client.PutAsync(new Uri($"/image/v2/images/{id}/file", UriKind.Relative), good, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var again = new ByteArrayContent(new byte[512]);
        again.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var conflict = await api.Client.PutAsync(new Uri($"/image/v2/images/{id}/file", UriKind.Relative), again, Ct);
        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Download_of_a_queued_image_is_204_and_of_an_unknown_one_404()
    {
        await using var api = await ApiHost.StartAsync();
        var (_, created, _) = await api.PostAsync("/image/v2/images", """{"name": "q"}""");

        (await api.GetAsync($"/image/v2/images/{created.GetProperty("id").GetString()}/file")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await api.GetAsync($"/image/v2/images/{Guid.NewGuid()}/file")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class GlanceDiscoveryTests
{
    [Fact]
    public async Task Versions_and_schemas_are_served_where_glance_clients_look_for_them()
    {
        await using var api = await ApiHost.StartAsync();

        var (versionsStatus, versions, _) = await api.GetAsync("/image/versions");
        var (schemaStatus, schema, _) = await api.GetAsync("/image/v2/schemas/image");
        var (listStatus, listSchema, _) = await api.GetAsync("/image/v2/schemas/images");

        versionsStatus.ShouldBe(HttpStatusCode.OK);
        var version = versions.GetProperty("versions").EnumerateArray().ShouldHaveSingleItem();
        version.GetProperty("id").GetString().ShouldBe("v2.9");
        version.GetProperty("links")[0].GetProperty("href").GetString().ShouldEndWith("/image/v2/");
        schemaStatus.ShouldBe(HttpStatusCode.OK);
        schema.GetProperty("name").GetString().ShouldBe("image");
        schema.GetProperty("additionalProperties").GetProperty("type").GetString().ShouldBe("string");
        schema.GetProperty("properties").GetProperty("disk_format").GetProperty("enum").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString())
            .ShouldBe(["raw", "qcow2", "qed", "vmdk", "vhd", "vhdx", "vdi", "iso", null]);
        listStatus.ShouldBe(HttpStatusCode.OK);
        listSchema.GetProperty("properties").GetProperty("images").GetProperty("items").GetProperty("name").GetString().ShouldBe("image");
    }
}

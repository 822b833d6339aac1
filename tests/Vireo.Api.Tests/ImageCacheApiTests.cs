using System.Net;
using System.Text.Json;
using Vireo.Api.Tests.Cli;
using Vireo.Core.ImageCache;

namespace Vireo.Api.Tests;

/// <summary><c>GET /v2.1/vireo-image-cache</c> and <c>vireo image cache</c>.</summary>
public sealed class ImageCacheApiTests
{
    private const string Used = "0123456789abcdef0123456789abcdef01234567";
    private const string Old = "fedcba9876543210fedcba9876543210fedcba98";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid ImageId = Guid.Parse("6e1c8b8e-2b5f-4a8e-9d43-0f3a3d2b7c11");

    private static ImageCacheFacts Facts() => new(
        [new(Used, 1 << 20, Now - TimeSpan.FromDays(9)), new(Old, 2 << 20, Now - TimeSpan.FromDays(2)), new("swap_64", 64 << 20, Now - TimeSpan.FromHours(1)), new("notes.txt", 3, Now)],
        [new CacheUser(Used, "instance 11111111-2222-3333-4444-555555555555")],
        new Dictionary<string, CachedImage> { [Used] = new(ImageId, "cirros") },
        new HashSet<string>(),
        Now);

    [Fact]
    public async Task The_cache_lists_each_entry_with_its_users_age_and_next_pass()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.ImageCache.Facts = Facts();

        var (status, body, _) = await api.GetAsync("/v2.1/vireo-image-cache");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var cache = body.GetProperty("vireo_image_cache");
        cache.GetProperty("interval_seconds").GetInt64().ShouldBe(2400);
        cache.GetProperty("read_at").GetString().ShouldBe("2026-12-07T12:00:00Z");
        var entries = cache.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        entries.Keys.ShouldBe(["notes.txt", Used, Old, "swap_64"], ignoreOrder: true);
        entries[Used].GetProperty("kind").GetString().ShouldBe("base");
        entries[Used].GetProperty("image_id").GetString().ShouldBe(ImageId.ToString());
        entries[Used].GetProperty("image_name").GetString().ShouldBe("cirros");
        entries[Used].GetProperty("size_bytes").GetInt64().ShouldBe(1 << 20);
        entries[Used].GetProperty("age_seconds").GetInt64().ShouldBe(9 * 86400);
        entries[Used].GetProperty("users").EnumerateArray().Select(u => u.GetString()).ShouldBe(["instance 11111111-2222-3333-4444-555555555555"]);
        entries[Used].GetProperty("next_pass").GetString().ShouldBe("in_use");
        entries[Old].GetProperty("next_pass").GetString().ShouldBe("remove");
        entries[Old].GetProperty("image_id").ValueKind.ShouldBe(JsonValueKind.Null);
        entries["swap_64"].GetProperty("kind").GetString().ShouldBe("swap_template");
        entries["swap_64"].GetProperty("next_pass").GetString().ShouldBe("keep");
        entries["notes.txt"].GetProperty("next_pass").GetString().ShouldBe("unknown");
    }

    [Fact]
    public async Task Vireo_image_cache_prints_the_table_and_the_json_document()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.ImageCache.Facts = Facts();

        var table = await CliRunner.RunAsync(api, "image", "cache");
        var json = await CliRunner.RunAsync(api, "image", "cache", "--json");
        api.Fakes.ImageCache.Interval = null;
        var never = await CliRunner.RunAsync(api, "image", "cache");

        table.Exit.ShouldBe(0, table.Err);
        table.Out.ShouldContain("cirros (" + ImageId + ")");
        table.Out.ShouldContain("in_use");
        table.Out.ShouldContain("remove");
        table.Out.ShouldContain("every 2400 s");
        json.Exit.ShouldBe(0, json.Err);
        using var document = JsonDocument.Parse(json.Out);
        document.RootElement.GetProperty("entries").GetArrayLength().ShouldBe(4);
        document.RootElement.GetProperty("interval_seconds").GetInt64().ShouldBe(2400);
        never.Out.ShouldContain("never runs");
    }

    [Fact]
    public async Task A_failing_read_is_an_error_body_not_a_crash()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.ImageCache.Failures.FailOn("InspectAsync", Vireo.Core.ErrorKind.Unavailable);

        var (status, _, _) = await api.GetAsync("/v2.1/vireo-image-cache");
        var cli = await CliRunner.RunAsync(api, "image", "cache");

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        cli.Exit.ShouldBe(69, cli.Err);
    }
}

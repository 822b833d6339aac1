using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// The image cache manager in the real service: with a pass every 5 s and a minimum age of 1 s,
/// the base of an image whose only server was deleted is removed, and the base of an image a
/// running server uses stays through every pass, with the server still starting and stopping.
/// </summary>
public sealed class ImageCacheManagerServiceTests
{
    [Fact]
    public async Task An_unused_base_is_removed_by_the_periodic_pass_and_the_used_one_stays()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var service = new VireoService(extraConfig: """
            [image_cache]
            manager_interval = 5
            remove_unused_original_minimum_age_seconds = 1
            """);
        await service.StartAsync();
        var usedImage = await ImportAsync(service, "cache-used-" + suffix);
        var unusedImage = await ImportAsync(service, "cache-unused-" + suffix);
        var usedBase = Path.Combine(service.InstancesPath, "_base", BaseName(usedImage));
        var unusedBase = Path.Combine(service.InstancesPath, "_base", BaseName(unusedImage));

        var keeper = "cache-keep-" + suffix;
        var keeperId = await CreateAsync(service, keeper, "cache-used-" + suffix);
        var before = await CacheAsync(service);
        before.ShouldContainKey(BaseName(usedImage));
        before[BaseName(usedImage)].GetProperty("next_pass").GetString().ShouldBe("in_use");
        before[BaseName(usedImage)].GetProperty("image_id").GetString().ShouldBe(usedImage);
        Users(before[BaseName(usedImage)]).ShouldContain($"instance {keeperId:D}");
        Users(before[BaseName(usedImage)]).ShouldContain($"directory {keeperId:D}: disk");

        var passer = "cache-pass-" + suffix;
        var passerId = await CreateAsync(service, passer, "cache-unused-" + suffix);
        File.Exists(unusedBase).ShouldBeTrue("the create filled the second image's base");
        var whileUsed = await CacheAsync(service);
        Users(whileUsed[BaseName(unusedImage)]).ShouldContain($"instance {passerId:D}");
        var deleted = await service.CliAsync("server", "delete", passer, "--wait", "--timeout", "300");
        deleted.ExitCode.ShouldBe(0, deleted.ToString());

        // The file goes first, then the pass logs and counts it; the log reaches the test through the
        // service's output pipe, so each is waited for, not read at the instant the file is gone.
        var removedLine = $"removed {unusedBase} (image {unusedImage} (cache-unused-{suffix})";
        await BootTestImageTests.WaitFor(() => !File.Exists(unusedBase) && service.Log.Contains(removedLine, StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromMinutes(3), () => $"the unused base {unusedBase} was never removed and logged; service log: {service.Log}");
        string metrics = "";
        await BootTestImageTests.WaitFor(() =>
        {
            metrics = MetricsTests.ScrapeAsync(service).GetAwaiter().GetResult();
            return MetricsTests.Value(metrics, "vireo_image_cache_removed_total", ("kind", "base")) >= 1;
        }, TimeSpan.FromMinutes(1), () => $"the removal was never counted: {metrics}");
        MetricsTests.Value(metrics, "vireo_image_cache_removed_total", ("kind", "base")).ShouldBe(1, metrics);
        var after = await CacheAsync(service);
        after.ShouldNotContainKey(BaseName(unusedImage));
        after[BaseName(usedImage)].GetProperty("next_pass").GetString().ShouldBe("in_use");
        Users(after[BaseName(usedImage)]).ShouldContain($"instance {keeperId:D}");

        // Across further passes the used base stays and its server still stops and starts on it.
        await ServiceScenario.PowerAsync(service, keeper, on: false);
        await Task.Delay(TimeSpan.FromSeconds(12), TestContext.Current.CancellationToken);
        File.Exists(usedBase).ShouldBeTrue("a base in use is never removed");
        await ServiceScenario.PowerAsync(service, keeper, on: true);
        File.Exists(usedBase).ShouldBeTrue();
        service.Log.ShouldNotContain($"removed {usedBase}");
    }

    private static async Task<string> ImportAsync(VireoService service, string name)
    {
        var result = await service.CliAsync("image", "import", name, "--file", TestImage.Qcow2Path, "--disk-format", "qcow2",
            "--property", "hw_qemu_guest_agent=yes");
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Json.GetProperty("id").GetString()!;
    }

    private static async Task<Guid> CreateAsync(VireoService service, string name, string image)
    {
        var result = await service.CliAsync("server", "create", name, "--image", image, "--flavor", "m1.tiny", "--wait", "--timeout", "300");
        result.ExitCode.ShouldBe(0, result.ToString());
        return Guid.Parse(result.Json.GetProperty("id").GetString()!);
    }

    /// <summary>`vireo image cache --json`, entries by name.</summary>
    private static async Task<Dictionary<string, JsonElement>> CacheAsync(VireoService service)
    {
        var result = await service.CliAsync("image", "cache");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Json.GetProperty("interval_seconds").GetInt64().ShouldBe(5);
        return result.Json.GetProperty("entries").EnumerateArray().ToDictionary(entry => entry.GetProperty("name").GetString()!);
    }

    private static string[] Users(JsonElement entry) => [.. entry.GetProperty("users").EnumerateArray().Select(user => user.GetString()!)];

    /// <summary>Nova's cache file name: the SHA-1 hex of the image id.</summary>
    private static string BaseName(string imageId) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId)));
}

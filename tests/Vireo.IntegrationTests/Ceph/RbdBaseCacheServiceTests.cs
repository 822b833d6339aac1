using System.Text.Json;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// RBD bases in the image cache manager of the real service (images_type = rbd, a pass every 3 s,
/// a minimum age of 1 s), without booting: a base made with the rbd tool as the rbd backend makes
/// one (import, snapshot snap, protect) is listed by `vireo image cache` with its clone as user and
/// kept by every pass while the clone exists; once the clone is gone the next pass removes it.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdBaseCacheServiceTests(CephClusterFixture cluster)
{
    [Fact(Timeout = 600_000)]
    public async Task A_base_with_a_clone_stays_through_passes_and_is_removed_by_the_pass_after_the_clone_is_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = cluster.Client();
        var baseName = Guid.NewGuid().ToString("D");
        var clone = CephClusterFixture.UniqueName("cachetest") + "_disk";
        var file = Path.Combine(Path.GetTempPath(), $"vireo-rbd-cache-{Guid.NewGuid():N}.raw");
        await File.WriteAllBytesAsync(file, new byte[4 << 20], ct);
        try
        {
            await rbd.ImportAsync(file, baseName, ct);
            await rbd.CreateSnapshotAsync(baseName, "snap", ct);
            await rbd.ProtectSnapshotAsync(baseName, "snap", ct);
            await rbd.CloneAsync(baseName, "snap", clone, ct);

            await using var service = new VireoService($"""
                {cluster.RbdOptions}
                [image_cache]
                manager_interval = 3
                remove_unused_original_minimum_age_seconds = 1
                """);
            await service.StartAsync();
            var entry = $"{cluster.Pool}/{baseName}";

            var listed = await CacheAsync(service);
            listed.ShouldContainKey(entry);
            listed[entry].GetProperty("kind").GetString().ShouldBe("rbd_base");
            listed[entry].GetProperty("next_pass").GetString().ShouldBe("in_use");
            listed[entry].GetProperty("users").EnumerateArray().Select(u => u.GetString()).ShouldBe([$"clone {cluster.Pool}/{clone}"]);

            // Several passes later the base is still there: its snapshot has a clone.
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            (await rbd.ListAsync(ct)).ShouldContain(baseName);
            service.Log.ShouldNotContain($"removed RBD base {entry}");

            await rbd.RemoveAsync(clone, ct);
            await BootTestImageTests.WaitFor(
                () => service.Log.Contains($"removed RBD base {entry}", StringComparison.Ordinal),
                TimeSpan.FromMinutes(2), () => $"the unused RBD base {entry} was never removed; service log: {service.Log}");
            (await rbd.ListAsync(ct)).ShouldNotContain(baseName);
            (await CacheAsync(service)).ShouldNotContainKey(entry);
        }
        finally
        {
            File.Delete(file);
            await TryAsync(() => rbd.RemoveAsync(clone, CancellationToken.None));
            await TryAsync(() => rbd.UnprotectSnapshotAsync(baseName, "snap", CancellationToken.None));
            await TryAsync(() => rbd.RemoveSnapshotAsync(baseName, "snap", CancellationToken.None));
            await TryAsync(() => rbd.RemoveAsync(baseName, CancellationToken.None));
        }
    }

    /// <summary>`vireo image cache --json`, entries by name.</summary>
    private static async Task<Dictionary<string, JsonElement>> CacheAsync(VireoService service)
    {
        var result = await service.CliAsync("image", "cache");
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Json.GetProperty("entries").EnumerateArray().ToDictionary(entry => entry.GetProperty("name").GetString()!);
    }

    /// <summary>Clean-up of what the test made; already gone is fine.</summary>
    private static async Task TryAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Vireo.Core.VireoException e) when (e.Kind == Vireo.Core.ErrorKind.NotFound)
        {
            // Removed by the pass or never made.
        }
    }
}

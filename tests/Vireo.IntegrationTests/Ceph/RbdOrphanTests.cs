using System.Text.Json;
using Vireo.IntegrationTests.Service;
using Vireo.Storage.Rbd;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// Disks outside instance directories against the test cluster: an RBD image <c>&lt;uuid&gt;_disk</c>
/// with no row is listed by <c>vireo host orphans</c> and removed only by its purge (a base never is),
/// and a delete whose <c>rbd rm</c> fails (a snapshot on the clone: rbd refuses with ENOTEMPTY)
/// leaves the clone to the pending-delete pass, which removes it once rbd lets it.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdOrphanTests(CephClusterFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RbdConfig => $"""
        {cluster.RbdOptions}
        [DEFAULT]
        instance_delete_interval = 2
        """;

    [Fact(Timeout = 600_000)]
    public async Task An_rbd_image_without_a_row_is_listed_never_removed_by_a_pass_and_purged_on_request_and_a_base_is_not_listed()
    {
        var rbd = cluster.Client();
        var orphan = Guid.NewGuid();
        var disk = $"{orphan:D}_disk";
        var baseId = Guid.NewGuid().ToString("D");
        var raw = Path.Combine(Path.GetTempPath(), $"vireo-orphan-{Guid.NewGuid():N}.raw");
        await using var service = new VireoService(RbdConfig);
        try
        {
            await using (var file = File.Create(raw))
            {
                file.SetLength(8 << 20);
            }

            await rbd.ImportAsync(raw, disk, Ct);
            await rbd.ImportAsync(raw, baseId, Ct);
            await rbd.CreateSnapshotAsync(baseId, "snap", Ct);
            await rbd.ProtectSnapshotAsync(baseId, "snap", Ct);
            await service.StartAsync();

            var listed = await service.CliAsync("host", "orphans");
            listed.ExitCode.ShouldBe(0, listed.ToString());
            var entry = listed.Json.EnumerateArray().Single(o => o.GetProperty("id").GetString() == orphan.ToString("D"));
            entry.GetProperty("kind").GetString().ShouldBe("rbd_image");
            entry.GetProperty("path").ValueKind.ShouldBe(JsonValueKind.Null);
            var listedDisk = entry.GetProperty("disks").EnumerateArray().ShouldHaveSingleItem();
            listedDisk.GetProperty("kind").GetString().ShouldBe("rbd_image");
            listedDisk.GetProperty("name").GetString().ShouldBe($"{cluster.Pool}/{disk}");
            listedDisk.GetProperty("size_bytes").GetInt64().ShouldBe(8 << 20);
            listed.Json.EnumerateArray().ShouldNotContain(o => o.GetProperty("id").GetString() == baseId, "a base is not an instance's disk");
            service.Log.ShouldContain($"instance {orphan} has");

            // Passes run every 2 s: an orphan is only listed, whoever's it is.
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            (await rbd.ListAsync(Ct)).ShouldContain(disk);

            var purged = await service.CliAsync("host", "orphans", "--purge", orphan.ToString());
            purged.ExitCode.ShouldBe(0, purged.ToString());
            purged.Json.GetProperty("disks").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe($"{cluster.Pool}/{disk}");
            var images = await rbd.ListAsync(Ct);
            images.ShouldNotContain(disk);
            images.ShouldContain(baseId);
            (await service.CliAsync("host", "orphans", "--purge", orphan.ToString())).ExitCode.ShouldBe(3);
        }
        finally
        {
            File.Delete(raw);
            await RemoveQuietlyAsync(rbd, disk, snapshot: null);
            await RemoveQuietlyAsync(rbd, baseId, "snap", isProtected: true);
        }
    }

    [Fact(Timeout = 1_200_000)]
    public async Task A_delete_whose_rbd_removal_fails_leaves_the_clone_to_the_pending_delete_pass_which_removes_it()
    {
        var rbd = cluster.Client();
        await using var service = new VireoService(RbdConfig);
        await service.StartAsync();
        var imageId = await ServiceScenario.ImportTestImageAsync(service);
        var name = $"rbd-retry-{Guid.NewGuid():N}"[..20];
        var id = await ServiceScenario.CreateServerAsync(service, name);
        var disk = $"{id:D}_disk";
        try
        {
            // rbd rm refuses an image with snapshots (ENOTEMPTY): the delete's removal fails for real.
            await rbd.CreateSnapshotAsync(disk, "held", Ct);

            var deleted = await service.CliAsync("server", "delete", id.ToString(), "--wait");
            deleted.ExitCode.ShouldBe(0, deleted.ToString());
            (await ServiceScenario.ShowAsync(service, id.ToString())).ExitCode.ShouldBe(3, "the server is deleted");
            service.OwnedDomains().Select(d => d.Uuid).ShouldNotContain(id);
            (await rbd.ListAsync(Ct)).ShouldContain(disk);
            service.Log.ShouldContain("the pending-delete pass retries them");
            var orphans = await service.CliAsync("host", "orphans");
            orphans.Json.EnumerateArray().ShouldNotContain(o => o.GetProperty("id").GetString() == id.ToString("D"), "its deleted row ties the clone to this installation");

            await BootTestImageTests.WaitFor(() => service.Log.Contains("pending-delete pass: 0 done", StringComparison.Ordinal), TimeSpan.FromMinutes(1),
                () => "no pending-delete pass reported the failed removal");
            (await rbd.ListAsync(Ct)).ShouldContain(disk, "the snapshot still holds it");

            await rbd.RemoveSnapshotAsync(disk, "held", Ct);
            await BootTestImageTests.WaitFor(() => !rbd.ListAsync(Ct).Result.Contains(disk), TimeSpan.FromMinutes(2),
                () => $"the pending-delete pass never removed {disk}:\n{service.Log}");
            await BootTestImageTests.WaitFor(() => !Directory.Exists(Path.Combine(service.InstancesPath, id.ToString("D"))), TimeSpan.FromMinutes(1),
                () => "the instance directory stayed after its clone went");
            ServiceScenario.ShouldLeaveNothing(service, id);
            (await rbd.ListAsync(Ct)).ShouldContain(imageId, "the base stays");
        }
        finally
        {
            await RemoveQuietlyAsync(rbd, disk, "held");
            await RemoveQuietlyAsync(rbd, imageId, "snap", isProtected: true);
        }
    }

    /// <summary>Test clean-up of the shared pool: whatever is not there is skipped.</summary>
    private static async Task RemoveQuietlyAsync(RbdClient rbd, string image, string? snapshot, bool isProtected = false)
    {
        if (!(await rbd.ListAsync(CancellationToken.None)).Contains(image))
        {
            return;
        }

        if (snapshot is not null && (await rbd.SnapshotsAsync(image, CancellationToken.None)).Any(s => s.Name == snapshot))
        {
            if (isProtected)
            {
                await rbd.UnprotectSnapshotAsync(image, snapshot, CancellationToken.None);
            }

            await rbd.RemoveSnapshotAsync(image, snapshot, CancellationToken.None);
        }

        await rbd.RemoveAsync(image, CancellationToken.None);
    }
}

using System.Diagnostics;
using System.Text;
using Vireo.IntegrationTests.Service;
using Vireo.Libvirt;
using Vireo.Storage.Rbd;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// Snapshots with images_type = rbd (two boots): a running and a stopped guest's RBD disk are each
/// copied through a temporary RBD snapshot (Ceph's own, as Nova's direct_snapshot; the running
/// guest keeps running and no libvirt backup job is used) that is exported and, by clone and
/// flatten, becomes the new image's base in the pool, then removed; both images hold the file the
/// guest wrote (found in their raw bytes), and a server from the stopped snapshot clones that base
/// without an import and boots to its agent.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdSnapshotServiceTests(CephClusterFixture cluster, ITestOutputHelper output)
{
    [Fact(Timeout = 1_200_000)]
    public async Task Running_and_stopped_rbd_guests_snapshot_into_images_holding_the_guests_file_and_leave_no_rbd_snapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = cluster.Client();
        await using var service = new VireoService($"""
            {cluster.RbdOptions}
            """);
        await service.StartAsync();
        var imageId = await ServiceScenario.ImportTestImageAsync(service);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var marker = $"rbd snapshot marker {suffix} {Guid.NewGuid():N}";
        var id = await ServiceScenario.CreateServerAsync(service, "rbd-snap-" + suffix);
        var disk = $"{id:D}_disk";
        string? stoppedImage = null;
        string? runningImage = null;
        Guid? fromSnapshot = null;
        try
        {
            await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(6));
            using (var connection = Connection.Open("qemu:///system"))
            using (var domain = connection.LookupDomainByUuid(id))
            {
                SnapshotServiceTests.WriteGuestFile(domain, "/vireo-rbd-marker.txt", Encoding.UTF8.GetBytes(marker));
                await EphemeralSwapServiceTests.GuestExecAsync(domain, "/bin/busybox", ["sync"]);
            }

            var clock = Stopwatch.StartNew();
            var running = await service.CliAsync("server", "image", "create", id.ToString(), "--name", "rbd-run-" + suffix, "--timeout", "600");
            var runningSeconds = clock.Elapsed.TotalSeconds;
            running.ExitCode.ShouldBe(0, running.ToString());
            runningImage = running.Json.GetProperty("id").GetString()!;
            await ShouldHoldAsync(service, runningImage, marker);
            service.Log.ShouldContain($"into image '{running.Json.GetProperty("name").GetString()}' ({runningImage}) started (StorageSnapshot,", customMessage: "a running rbd guest is snapshotted by Ceph, not by libvirt's backup job");
            (await rbd.SnapshotsAsync(runningImage, ct)).ShouldContain(s => s.Name == "snap" && s.IsProtected, "the running snapshot's base is seeded too");
            (await ServiceScenario.ShowAsync(service, id.ToString())).Status.ShouldBe("ACTIVE", "the guest kept running");

            await ServiceScenario.PowerAsync(service, id.ToString(), on: false);
            clock.Restart();
            var stopped = await service.CliAsync("server", "image", "create", id.ToString(), "--name", "rbd-stop-" + suffix, "--timeout", "600");
            var stoppedSeconds = clock.Elapsed.TotalSeconds;
            stopped.ExitCode.ShouldBe(0, stopped.ToString());
            stopped.Json.GetProperty("base_image_ref").GetString().ShouldBe(imageId);
            await ShouldHoldAsync(service, stopped.Json.GetProperty("id").GetString()!, marker);
            (await rbd.SnapshotsAsync(disk, ct)).ShouldBeEmpty("the export's RBD snapshot is removed");
            output.WriteLine($"rbd snapshot of the running guest {runningSeconds:F1} s, of the stopped guest {stoppedSeconds:F1} s");

            // The stopped snapshot's base is in the pool, flattened (no parent) with its protected snap.
            stoppedImage = stopped.Json.GetProperty("id").GetString()!;
            (await rbd.InfoAsync(stoppedImage, ct)).Parent.ShouldBeNull("the base is flattened: it does not depend on the instance's disk");
            (await rbd.SnapshotsAsync(stoppedImage, ct)).ShouldContain(s => s.Name == "snap" && s.IsProtected);
            (await rbd.ListAsync(ct)).ShouldNotContain(n => n.Contains("-importing-", StringComparison.Ordinal));

            var booted = await service.CliAsync("server", "create", "rbd-from-snap-" + suffix, "--image", stoppedImage, "--flavor", "m1.tiny", "--wait", "--timeout", "300");
            booted.ExitCode.ShouldBe(0, booted.ToString());
            fromSnapshot = Guid.Parse(booted.Json.GetProperty("id").GetString()!);
            (await rbd.InfoAsync($"{fromSnapshot:D}_disk", ct)).Parent.ShouldBe(new RbdParent(cluster.Pool, stoppedImage, "snap"));
            service.Log.ShouldNotContain($"RBD base {cluster.Pool}/{stoppedImage} imported", customMessage: "the server's base was made by the snapshot, not imported");
            service.Log.ShouldContain($"RBD base {cluster.Pool}/{stoppedImage} made from {cluster.Pool}/{disk}@");
            output.WriteLine(service.Log.Split('\n').First(l => l.Contains($"RBD base {cluster.Pool}/{stoppedImage} made from", StringComparison.Ordinal)));
            await ServiceScenario.WaitForAgentAsync(fromSnapshot.Value, TimeSpan.FromMinutes(6));
        }
        finally
        {
            foreach (var server in new[] { fromSnapshot, id }.OfType<Guid>())
            {
                var deleted = await service.CliAsync("server", "delete", server.ToString(), "--wait");
                deleted.ExitCode.ShouldBe(0, deleted.ToString());
            }
        }

        ServiceScenario.ShouldLeaveNothing(service, id);
        foreach (var seeded in new[] { stoppedImage, runningImage }.OfType<string>())
        {
            await rbd.UnprotectSnapshotAsync(seeded, "snap", ct);
            await rbd.RemoveSnapshotAsync(seeded, "snap", ct);
            await rbd.RemoveAsync(seeded, ct);
        }

        await rbd.UnprotectSnapshotAsync(imageId, "snap", ct);
        await rbd.RemoveSnapshotAsync(imageId, "snap", ct);
        await rbd.RemoveAsync(imageId, ct);
    }

    /// <summary>The stored image (qcow2, as the source), read as raw, contains the marker's bytes.</summary>
    private static async Task ShouldHoldAsync(VireoService service, string imageId, string marker)
    {
        var stored = Path.Combine(service.StatePath, "images", imageId);
        var raw = Path.Combine(service.Root, imageId + ".raw");
        try
        {
            using (var convert = Process.Start(new ProcessStartInfo("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", stored, raw]))!)
            {
                await convert.WaitForExitAsync(TestContext.Current.CancellationToken);
                convert.ExitCode.ShouldBe(0);
            }

            var bytes = await File.ReadAllBytesAsync(raw, TestContext.Current.CancellationToken);
            bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)).ShouldBeGreaterThanOrEqualTo(0, $"image {imageId} holds the file the guest wrote");
        }
        finally
        {
            File.Delete(raw);
        }
    }
}

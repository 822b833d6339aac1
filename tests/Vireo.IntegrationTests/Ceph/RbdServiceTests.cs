using Vireo.Core;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// images_type = rbd through the real service against the test cluster: the test image is
/// imported into the pool once as a base with a protected snapshot, the server boots to its agent
/// from its <c>&lt;uuid&gt;_disk</c> clone of that snapshot, and deleting the server removes the
/// clone while the base stays.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdServiceTests(CephClusterFixture cluster)
{
    [Fact(Timeout = 1_200_000)]
    public async Task A_server_boots_from_its_rbd_clone_of_the_image_base_and_delete_removes_the_clone()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = cluster.Client();
        await using var service = new VireoService($"""
            {cluster.RbdOptions}
            """);
        await service.StartAsync();
        var imageId = await ServiceScenario.ImportTestImageAsync(service);
        var id = await ServiceScenario.CreateServerAsync(service, $"rbd-{Guid.NewGuid():N}"[..20]);
        var disk = $"{id:D}_disk";
        try
        {
            await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(6));

            var info = await rbd.InfoAsync(disk, ct);
            info.Parent.ShouldBe(new Vireo.Storage.Rbd.RbdParent(cluster.Pool, imageId, "snap"));
            (await rbd.SnapshotsAsync(imageId, ct)).ShouldContain(s => s.Name == "snap" && s.IsProtected);
            service.Log.ShouldContain("instance disks are made by the rbd image backend");
        }
        finally
        {
            var deleted = await service.CliAsync("server", "delete", id.ToString(), "--wait");
            deleted.ExitCode.ShouldBe(0, deleted.ToString());
        }

        (await rbd.ListAsync(ct)).ShouldNotContain(disk);
        (await rbd.ListAsync(ct)).ShouldContain(imageId);
        ServiceScenario.ShouldLeaveNothing(service, id);

        // The base is the pool's to keep; this test's own is removed so the shared pool stays clean.
        await rbd.UnprotectSnapshotAsync(imageId, "snap", ct);
        await rbd.RemoveSnapshotAsync(imageId, "snap", ct);
        await rbd.RemoveAsync(imageId, ct);
    }
}

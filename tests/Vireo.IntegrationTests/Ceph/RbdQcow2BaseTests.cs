using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// The rbd backend given a qcow2 base (force_raw_images = false) against the real cluster: rbd
/// imports bytes as they are, so the base is converted to raw first; the pool's base then has the
/// image's virtual size (a qcow2 imported as it is would have the qcow2 file's length) and the
/// clone is made of it. No guest boots here: RbdServiceTests boots one.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdQcow2BaseTests(CephClusterFixture cluster) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-rbd-qcow2-");

    [Fact(Timeout = 300_000)]
    public async Task A_qcow2_base_is_imported_as_raw_of_the_images_virtual_size()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = cluster.Client();
        var qemuImg = new QemuImg(new StorageSettings(Path.Join(_dir.FullName, "state"), Path.Join(_dir.FullName, "instances")));
        var info = await qemuImg.InfoAsync(TestImage.Qcow2Path, DiskFormat.Qcow2, cancellationToken: ct);
        info.VirtualSizeBytes.ShouldNotBe(new FileInfo(TestImage.Qcow2Path).Length);
        var backend = new RbdBackend(rbd, qemuImg, new RbdBackendSettings([new NetworkHost(cluster.MonitorHost, cluster.MonitorPort)], cluster.SecretUuid));
        var imageId = Guid.NewGuid();
        var instanceId = Guid.NewGuid();
        var instanceDirectory = Directory.CreateDirectory(Path.Join(_dir.FullName, instanceId.ToString("D"))).FullName;
        var request = new RootDiskRequest(instanceId, "rbd-qcow2", instanceDirectory, new BaseImageLease(TestImage.Qcow2Path, DiskFormat.Qcow2, info, new SemaphoreSlim(0, 1)), null, false)
        {
            ImageId = imageId,
        };
        var baseName = RbdBackend.BaseName(imageId);
        try
        {
            var disk = await backend.CreateRootDiskAsync(request, ct);

            disk.Format.ShouldBe(DiskFormat.Raw);
            (await rbd.InfoAsync(baseName, ct)).SizeBytes.ShouldBe(info.VirtualSizeBytes);
            (await rbd.InfoAsync(RbdBackend.DiskName(instanceId), ct)).Parent.ShouldBe(new Vireo.Storage.Rbd.RbdParent(cluster.Pool, baseName, RbdBackend.BaseSnapshot));
            Directory.GetFiles(instanceDirectory).ShouldBeEmpty();
        }
        finally
        {
            await backend.RemoveDisksAsync(instanceId, CancellationToken.None);
            if ((await rbd.ListAsync(CancellationToken.None)).Contains(baseName))
            {
                await rbd.UnprotectSnapshotAsync(baseName, RbdBackend.BaseSnapshot, CancellationToken.None);
                await rbd.RemoveSnapshotAsync(baseName, RbdBackend.BaseSnapshot, CancellationToken.None);
                await rbd.RemoveAsync(baseName, CancellationToken.None);
            }
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}

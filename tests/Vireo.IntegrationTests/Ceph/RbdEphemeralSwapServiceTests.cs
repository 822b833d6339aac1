using System.Text;
using Vireo.IntegrationTests.Service;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// images_type = rbd with a flavor of 1 GiB ephemeral and 64 MiB swap through the real service: the
/// disks are RBD images <c>&lt;uuid&gt;_disk.local</c> and <c>&lt;uuid&gt;_disk.swap</c> in the pool
/// (clones of the templates imported once), the guest sees vdb as ext4 labelled ephemeral0 and vdc
/// as swap through its agent, and delete removes all three of its images.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdEphemeralSwapServiceTests(CephClusterFixture cluster)
{
    [Fact(Timeout = 1_200_000)]
    public async Task An_rbd_guest_gets_its_ephemeral_and_swap_as_rbd_images_vdb_ext4_ephemeral0_and_vdc_swap_and_delete_removes_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = cluster.Client();
        await using var service = new VireoService($"""
            [DEFAULT]
            default_ephemeral_format = ext4
            [libvirt]
            {cluster.RbdOptions}
            """);
        await service.StartAsync();
        var imageId = await ServiceScenario.ImportTestImageAsync(service);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flavor = await service.CliAsync("flavor", "create", "rbd-eph-" + suffix, "--vcpus", "1", "--ram", "128", "--disk", "1", "--ephemeral", "1", "--swap", "64");
        flavor.ExitCode.ShouldBe(0, flavor.ToString());
        var create = await service.CliAsync("server", "create", "rbd-eph-" + suffix, "--image", "vireo-test", "--flavor", "rbd-eph-" + suffix, "--wait", "--timeout", "300");
        create.ExitCode.ShouldBe(0, create.ToString());
        var id = Guid.Parse(create.Json.GetProperty("id").GetString()!);
        string[] disks = [$"{id:D}_disk", $"{id:D}_disk.local", $"{id:D}_disk.swap"];
        try
        {
            var pool = await rbd.ListAsync(ct);
            pool.ShouldContain(disks[1]);
            pool.ShouldContain(disks[2]);
            (await rbd.InfoAsync(disks[1], ct)).Parent.ShouldBe(new Vireo.Storage.Rbd.RbdParent(cluster.Pool, "ephemeral_1_40d1d2c", "snap"));
            (await rbd.InfoAsync(disks[2], ct)).SizeBytes.ShouldBe(64L << 20);
            var directory = Path.Combine(service.InstancesPath, id.ToString("D"));
            File.Exists(Path.Combine(directory, "disk.local")).ShouldBeFalse("the ephemeral disk lives in the pool, not the instance directory");

            await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(6));
            using var connection = Connection.Open("qemu:///system");
            using var domain = connection.LookupDomainByUuid(id);
            var superblock = EphemeralSwapServiceTests.ReadGuestFile(domain, "/dev/vdb", 1024, 1024);
            BitConverter.ToUInt16(superblock, 0x38).ShouldBe((ushort)0xEF53, "vdb has an ext2/3/4 superblock");
            (BitConverter.ToUInt32(superblock, 0x60) & 0x40).ShouldBe(0x40u, "vdb uses extents: ext4");
            Encoding.ASCII.GetString(superblock, 0x78, 16).TrimEnd('\0').ShouldBe("ephemeral0");
            Encoding.ASCII.GetString(EphemeralSwapServiceTests.ReadGuestFile(domain, "/dev/vdc", 4086, 10)).ShouldBe("SWAPSPACE2");
            await EphemeralSwapServiceTests.GuestExecAsync(domain, "/bin/busybox", ["swapon", "/dev/vdc"]);
            Encoding.ASCII.GetString(EphemeralSwapServiceTests.ReadGuestFile(domain, "/proc/swaps", 0, 4096)).ShouldContain("/dev/vdc");
        }
        finally
        {
            var deleted = await service.CliAsync("server", "delete", id.ToString(), "--wait");
            deleted.ExitCode.ShouldBe(0, deleted.ToString());
        }

        var after = await rbd.ListAsync(ct);
        foreach (var disk in disks)
        {
            after.ShouldNotContain(disk);
        }

        ServiceScenario.ShouldLeaveNothing(service, id);

        // The bases are the pool's to keep; this test's own are removed so the shared pool stays clean.
        foreach (var name in new[] { imageId, "ephemeral_1_40d1d2c", "swap_64" })
        {
            await rbd.UnprotectSnapshotAsync(name, "snap", ct);
            await rbd.RemoveSnapshotAsync(name, "snap", ct);
            await rbd.RemoveAsync(name, ct);
        }
    }
}

using Vireo.Core;
using Vireo.Core.Ports;
using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// QEMU really opens an RBD image with the cephx key: qemu-img through ceph.conf and the keyring,
/// and a TCG guest through libvirt with the key in a libvirt secret, booting the test image
/// imported into RBD (as the rbd backend lays it out: a raw base, a protected snapshot, a clone
/// per instance) to its guest agent.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdGuestTests(CephClusterFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan BootDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_guest_boots_from_an_rbd_clone_of_the_test_image_to_its_agent_with_the_cephx_secret()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = cluster.Client();
        var @base = CephClusterFixture.UniqueName("img");
        var uuid = Guid.NewGuid();
        var disk = $"{uuid:D}_disk";
        var name = $"vireo-it-rbd-{uuid:N}"[..28];
        var dir = Directory.CreateTempSubdirectory("vireo-it-rbd-");
        var connection = cluster.Libvirt!;
        try
        {
            var raw = Path.Combine(dir.FullName, "base.raw");
            Processes.Run("/usr/bin/qemu-img", ["convert", "-f", "qcow2", "-O", "raw", TestImage.Qcow2Path, raw], TimeSpan.FromMinutes(2));
            var clock = Stopwatch.StartNew();
            await rbd.ImportAsync(raw, @base, ct);
            var import = clock.Elapsed;
            await rbd.CreateSnapshotAsync(@base, "snap", ct);
            await rbd.ProtectSnapshotAsync(@base, "snap", ct);
            clock.Restart();
            await rbd.CloneAsync(@base, "snap", disk, ct);
            var cloneTime = clock.Elapsed;

            // qemu-img opens the clone through ceph.conf and client.vireo's keyring (cephx on).
            var info = Processes.Run("/usr/bin/qemu-img",
                ["info", "-f", "raw", "--output=json", $"rbd:{cluster.Pool}/{disk}:id={cluster.User}:conf={cluster.CephConf}"], TimeSpan.FromMinutes(1));
            JsonDocument.Parse(info.StandardOutput).RootElement.GetProperty("virtual-size").GetInt64()
                .ShouldBe((await rbd.InfoAsync(@base, ct)).SizeBytes);

            var console = Path.Combine(dir.FullName, "console.log");
            // The network disk as the product writes it (DomainXml's rbd source, Nova's shape from
            // nova/virt/libvirt/config.py LibvirtConfigGuestDisk), opened by the real QEMU with the cephx secret.
            var source = new DiskSource.Rbd(cluster.Pool, disk, [new NetworkHost(cluster.MonitorHost, cluster.MonitorPort)], cluster.User, cluster.SecretUuid);
            var xml = DomainXmlWriter.Format(BootTestImageTests.Guest(name, uuid, source, DiskFormat.Raw, console, Path.Combine(dir.FullName, "qga.sock")));
            output.WriteLine(XDocument.Parse(xml).Descendants("disk").Single().ToString());
            clock.Restart();
            using var domain = connection.DefineDomain(xml, validate: true);
            domain.Start();
            await BootTestImageTests.WaitFor(() => File.Exists(console) && File.ReadAllText(console).Contains(TestImage.BootMarker, StringComparison.Ordinal),
                BootDeadline, () => $"no boot marker from the RBD disk in {console}: {BootTestImageTests.Tail(console)}");
            var marker = clock.Elapsed;
            await BootTestImageTests.WaitForAgentAsync(domain, BootDeadline, "the guest booted from RBD never answered guest-ping");
            output.WriteLine($"import {import.TotalSeconds:F1} s, clone {cloneTime.TotalMilliseconds:F0} ms, boot->marker {marker.TotalSeconds:F1} s, boot->agent {clock.Elapsed.TotalSeconds:F1} s");

            // The guest wrote to its clone (copy-on-write), never to the base.
            domain.Destroy();
            (await rbd.DiskUsageAsync(disk, ct)).Single().UsedBytes.ShouldBeGreaterThan(0);
        }
        finally
        {
            BootTestImageTests.Cleanup(connection, uuid);
            await RemoveQuietly(rbd, disk, @base);
            dir.Delete(recursive: true);
        }
    }

    private async Task RemoveQuietly(Vireo.Storage.Rbd.RbdClient rbd, string disk, string @base)
    {
        foreach (var step in new Func<Task>[]
        {
            () => rbd.RemoveAsync(disk),
            () => rbd.UnprotectSnapshotAsync(@base, "snap"),
            () => rbd.RemoveSnapshotAsync(@base, "snap"),
            () => rbd.RemoveAsync(@base),
        })
        {
            try
            {
                await step();
            }
            catch (VireoException e) when (e.Kind == ErrorKind.NotFound)
            {
                output.WriteLine($"cleanup: {e.Message}");
            }
        }
    }
}

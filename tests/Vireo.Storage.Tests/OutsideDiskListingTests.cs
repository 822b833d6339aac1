using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;
using Vireo.Storage.Rbd;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Fakes;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>
/// What the rbd and lvm backends list outside instance directories: only <c>&lt;uuid&gt;_*</c>
/// names, with their sizes, never a base; rbd's long listing parsed, lvs checked by its argument
/// array on a fake runner (these machines have no device-mapper), and InstanceDisks passing both on.
/// </summary>
public sealed class OutsideDiskListingTests : IDisposable
{
    private const string Vg = "nova-vg";
    private static readonly Guid Id = Guid.Parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    private static readonly Guid Other = Guid.Parse("ffffffff-2fa1-11d2-883f-0016d3cca427");
    private static readonly Guid Image = Guid.Parse("0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11");
    private static readonly LvmTools Tools = new("/sbin/lvcreate", "/sbin/lvremove", "/sbin/lvs", "/usr/bin/qemu-img", "/sbin/blockdev", "/bin/dd", "/usr/bin/shred");
    private static readonly string[] Lvs = ["/sbin/lvs", "--noheadings", "-o", "lv_name,lv_size", "--units", "b", "--nosuffix", Vg];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-outside-disks-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The shape of `rbd ls --long --format json` (src/tools/rbd/action/List.cc): a base with its
    // protected snapshot, a base being imported, two disks of one instance (one a clone), one of another.
    private static readonly string LongListing = $$"""
        [{"image":"{{Image}}","id":"10a2","size":117440512,"format":2},
         {"image":"{{Image}}","id":"10a2","snapshot":"snap","snapshot_id":4,"size":117440512,"format":2,"protected":"true"},
         {"image":"{{Image}}-importing-0a1b2c","id":"10a9","size":117440512,"format":2},
         {"image":"{{Id}}_disk","id":"10b7","size":1073741824,"parent":{"pool":"vms","pool_namespace":"","image":"{{Image}}","snapshot":"snap"},"format":2},
         {"image":"{{Id}}_disk.local","id":"10b8","size":1073741824,"format":2},
         {"image":"{{Other}}_disk","id":"10c1","size":2147483648,"format":2,"lock_type":"exclusive"},
         {"image":"volume-1234","id":"10d0","size":1024,"format":2}]
        """;

    [Fact]
    public void The_long_listing_keeps_images_and_drops_snapshots()
    {
        var images = RbdClient.ParseLongListing(LongListing, "vms");

        images.Select(i => i.Name).ShouldBe([$"{Image}", $"{Image}-importing-0a1b2c", $"{Id}_disk", $"{Id}_disk.local", $"{Other}_disk", "volume-1234"]);
        images.Single(i => i.Name == $"{Other}_disk").SizeBytes.ShouldBe(2147483648);
        RbdClient.ParseLongListing("[]", "vms").ShouldBeEmpty();
        Should.Throw<VireoException>(() => RbdClient.ParseLongListing("{\"images\":1}", "vms")).Kind.ShouldBe(ErrorKind.Failed);
    }

    [Fact]
    public void Only_instance_disks_are_outside_disks_and_never_a_base()
    {
        var disks = RbdBackend.InstanceDisksIn("vms", RbdClient.ParseLongListing(LongListing, "vms"));

        disks.ShouldBe([
            new OutsideDisk(Id, OutsideDiskKind.RbdImage, $"vms/{Id}_disk", 1073741824),
            new OutsideDisk(Id, OutsideDiskKind.RbdImage, $"vms/{Id}_disk.local", 1073741824),
            new OutsideDisk(Other, OutsideDiskKind.RbdImage, $"vms/{Other}_disk", 2147483648),
        ]);
        disks.ShouldNotContain(disk => disk.Name.Contains(RbdBackend.BaseName(Image), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_rbd_backend_lists_with_one_long_ls_of_the_pool()
    {
        var log = Path.Join(_dir.FullName, "log");
        var json = Path.Join(_dir.FullName, "ls.json");
        await File.WriteAllTextAsync(json, LongListing, Ct);
        var fake = Path.Join(_dir.FullName, "rbd");
        FakeExecutable.Write(fake, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\n/bin/cat '{json}'\n");
        var client = new RbdClient(new RbdSettings("/etc/ceph/ceph.conf", "vms", "vireo") { RbdPath = fake, Keyring = "/etc/ceph/k.keyring" });
        using var sandbox = new StorageSandbox();
        var backend = new RbdBackend(client, sandbox.QemuImg, new RbdBackendSettings([new NetworkHost("10.0.0.1", 6789)], Guid.NewGuid()));

        var disks = await backend.ListDisksAsync(Ct);

        disks.Select(d => d.InstanceId).ShouldBe([Id, Id, Other]);
        (await File.ReadAllLinesAsync(log, Ct)).ShouldBe(["--conf /etc/ceph/ceph.conf --id vireo --keyring /etc/ceph/k.keyring ls --long --format json --pool vms"]);
    }

    [Fact]
    public async Task The_lvm_backend_lists_the_group_with_lvs_and_keeps_only_instance_volumes()
    {
        var runner = new FakeCommandRunner((program, _) => program == "/sbin/lvs"
            ? new CommandResult(0, $"  {Id}_disk   8388608\n  {Id}_disk.swap 67108864\n  root 10737418240\n  {Other}_disk 4194304\n  swap_1\n", "")
            : null);

        var disks = await new LvmBackend(runner, Tools, new LvmSettings(Vg, VolumeClear.Zero, 0)).ListDisksAsync(Ct);

        runner.Calls.ShouldBe([Lvs]);
        disks.ShouldBe([
            new OutsideDisk(Id, OutsideDiskKind.LogicalVolume, $"{Vg}/{Id}_disk", 8388608),
            new OutsideDisk(Id, OutsideDiskKind.LogicalVolume, $"{Vg}/{Id}_disk.swap", 67108864),
            new OutsideDisk(Other, OutsideDiskKind.LogicalVolume, $"{Vg}/{Other}_disk", 4194304),
        ]);
    }

    [Fact]
    public async Task A_failing_lvs_is_a_failure_naming_the_group_not_an_empty_listing()
    {
        var runner = new FakeCommandRunner((program, _) => new CommandResult(5, "", "  Volume group \"nova-vg\" not found\n"));

        var failure = await Should.ThrowAsync<VireoException>(() => new LvmBackend(runner, Tools, new LvmSettings(Vg, VolumeClear.None, 0)).ListDisksAsync(Ct));

        failure.Kind.ShouldBe(ErrorKind.Failed);
        failure.Message.ShouldContain("nova-vg");
    }

    [Fact]
    public async Task Instance_disks_pass_the_backends_listing_on_and_remove_outside_disks_without_touching_the_directory()
    {
        var runner = new FakeCommandRunner((program, _) => program == "/sbin/lvs" ? new CommandResult(0, $"  {Id}_disk 8388608\n", "") : null);
        using var sandbox = new StorageSandbox(backend: (_, _) => new LvmBackend(runner, Tools, new LvmSettings(Vg, VolumeClear.None, 0)));
        var directory = Directory.CreateDirectory(Path.Join(sandbox.Settings.InstancesPath, Id.ToString("D")));

        (await sandbox.Disks.ListOutsideDisksAsync(Ct)).ShouldHaveSingleItem().Name.ShouldBe($"{Vg}/{Id}_disk");
        await sandbox.Disks.RemoveOutsideDisksAsync(Id, Ct);

        runner.Calls.ShouldBe([Lvs, Lvs, ["/sbin/lvremove", "-f", $"/dev/{Vg}/{Id}_disk"]]);
        directory.Exists.ShouldBeTrue();
    }

    public void Dispose() => _dir.Delete(recursive: true);
}

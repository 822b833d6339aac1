using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Rbd;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>
/// A snapshot of a stopped rbd guest makes the new image's base in the pool by clone and flatten of
/// the export's RBD snapshot (nova/virt/libvirt/imagebackend.py Rbd.direct_snapshot), over a fake rbd
/// that logs every call's arguments, writes the export's target and fails the verb named by a file
/// fail-&lt;verb&gt;: the order of the verbs, their argument arrays and the undo of a failed step (the
/// real cluster runs in tests/Vireo.IntegrationTests/Ceph/RbdSnapshotServiceTests.cs).
/// </summary>
public sealed class RbdSnapshotSeedTests : IDisposable
{
    private static readonly Guid ImageId = Guid.Parse("5d0f3a52-8d0e-4f4b-9b43-9f0b3c0f6d22");
    private static readonly Guid InstanceId = Guid.Parse("7a4e28ba-2fa1-11d2-883f-0016d3cca431");
    private const string Disk = "vms/7a4e28ba-2fa1-11d2-883f-0016d3cca431_disk";
    private const string Base = "vms/5d0f3a52-8d0e-4f4b-9b43-9f0b3c0f6d22";

    private readonly StorageSandbox _sandbox = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-rbd-seed-");
    private readonly string _log;
    private readonly RecordingLogger<RbdBackend> _logger = new();
    private readonly RbdBackend _backend;
    private readonly string _target;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RbdSnapshotSeedTests()
    {
        _log = Path.Join(_dir.FullName, "log");
        var fake = Path.Join(_dir.FullName, "rbd");
        FakeExecutable.Write(fake, Script(_dir.FullName));
        var client = new RbdClient(new RbdSettings("/etc/ceph/ceph.conf", "vms", "vireo") { RbdPath = fake, Keyring = "/etc/ceph/k.keyring" });
        _backend = new RbdBackend(client, _sandbox.QemuImg, new RbdBackendSettings([new("10.0.0.1", 6789)], Guid.NewGuid()), _logger);
        _target = Path.Join(_dir.FullName, "snapshot-" + ImageId.ToString("D") + ".part");
    }

    private string ExportSnapshot => Disk + "@" + RbdBackend.ExportSnapshotName(_target);

    /// <summary>Checks the connection arguments, logs the rest; export writes its last argument.</summary>
    private static string Script(string dir) => $$"""
        #!/bin/sh
        PATH=/usr/bin:/bin
        S='{{dir}}'
        [ "$1 $2 $3 $4 $5 $6" = "--conf /etc/ceph/ceph.conf --id vireo --keyring /etc/ceph/k.keyring" ] || { echo "rbd: bad connection arguments $*" >&2; exit 22; }
        shift 6
        printf '%s\n' "$*" >> "$S/log"
        verb="$1"
        [ "$1" = snap ] && verb="snap-$2"
        if [ -e "$S/fail-$verb" ]; then echo "rbd: $verb failed: (5) Input/output error" >&2; exit 5; fi
        eval last=\${$#}
        [ "$verb" = export ] && printf 'disk bytes' > "$last"
        exit 0
        """.Replace("\r", "", StringComparison.Ordinal);

    private string[] Calls => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    private void Fail(string verb) => File.WriteAllText(Path.Join(_dir.FullName, "fail-" + verb), "");

    private Task ExportAsync(Guid imageId) =>
        _backend.ExportRootDiskAsync(new RootDiskExport(InstanceId, _dir.FullName, _target, DiskFormat.Raw) { ImageId = imageId }, Ct);

    /// <summary>The importing clone's name, as the clone call gave it.</summary>
    private string Importing()
    {
        var clone = Calls.Single(c => c.StartsWith("clone ", StringComparison.Ordinal)).Split(' ')[2];
        clone.ShouldMatch("^" + Base + "-importing-[0-9a-f]{32}$");
        return clone;
    }

    [Fact]
    public async Task A_stopped_snapshot_clones_flattens_snapshots_protects_and_renames_the_new_images_base_before_removing_its_rbd_snapshot()
    {
        await ExportAsync(ImageId);

        var importing = Importing();
        Calls.ShouldBe([
            "snap create --no-progress " + ExportSnapshot,
            "export --no-progress " + ExportSnapshot + " " + _target,
            "snap protect " + ExportSnapshot,
            "clone " + ExportSnapshot + " " + importing,
            "flatten --no-progress " + importing,
            "snap create --no-progress " + importing + "@snap",
            "snap protect " + importing + "@snap",
            "rename " + importing + " " + Base,
            "snap unprotect " + ExportSnapshot,
            "snap rm --no-progress " + ExportSnapshot,
        ]);
        (await File.ReadAllTextAsync(_target, Ct)).ShouldBe("disk bytes");
        _logger.WithId(3420).Single().Message.ShouldContain(Base + " made from " + ExportSnapshot);
        _logger.Entries.ShouldNotContain(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_failed_flatten_removes_the_importing_clone_and_the_rbd_snapshot_and_the_export_still_succeeds()
    {
        Fail("flatten");

        await ExportAsync(ImageId);

        var importing = Importing();
        Calls[3..].ShouldBe([
            "clone " + ExportSnapshot + " " + importing,
            "flatten --no-progress " + importing,
            "rm --no-progress " + importing,
            "snap unprotect " + ExportSnapshot,
            "snap rm --no-progress " + ExportSnapshot,
        ]);
        File.Exists(_target).ShouldBeTrue("the image's file is made as without the base");
        _logger.WithId(3421).Single().Message.ShouldContain("flatten failed");
        _logger.WithId(3420).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failed_rename_unprotects_and_removes_the_bases_snapshot_and_the_clone()
    {
        Fail("rename");

        await ExportAsync(ImageId);

        var importing = Importing();
        Calls[7..].ShouldBe([
            "rename " + importing + " " + Base,
            "snap unprotect " + importing + "@snap",
            "snap rm --no-progress " + importing + "@snap",
            "rm --no-progress " + importing,
            "snap unprotect " + ExportSnapshot,
            "snap rm --no-progress " + ExportSnapshot,
        ]);
        _logger.WithId(3421).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_refused_protect_of_the_rbd_snapshot_makes_no_clone_and_leaves_only_the_removal()
    {
        Fail("snap-protect");

        await ExportAsync(ImageId);

        Calls.ShouldBe([
            "snap create --no-progress " + ExportSnapshot,
            "export --no-progress " + ExportSnapshot + " " + _target,
            "snap protect " + ExportSnapshot,
            "snap rm --no-progress " + ExportSnapshot,
        ]);
        _logger.WithId(3421).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_failed_export_fails_the_snapshot_without_making_a_base()
    {
        Fail("export");

        var failure = await Should.ThrowAsync<VireoException>(() => ExportAsync(ImageId));

        failure.Message.ShouldContain("export");
        Calls.ShouldBe(["snap create --no-progress " + ExportSnapshot, "export --no-progress " + ExportSnapshot + " " + _target, "snap rm --no-progress " + ExportSnapshot]);
    }

    [Fact]
    public async Task Without_the_image_id_the_export_makes_no_base()
    {
        await ExportAsync(Guid.Empty);

        Calls.ShouldBe(["snap create --no-progress " + ExportSnapshot, "export --no-progress " + ExportSnapshot + " " + _target, "snap rm --no-progress " + ExportSnapshot]);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_base_is_made_under_its_gate_so_the_cache_manager_never_sees_it_half_made()
    {
        var hold = _backend.TryHoldBase(ImageId.ToString("D")).ShouldNotBeNull();
        var export = ExportAsync(ImageId);
        while (!Calls.Contains("snap protect " + ExportSnapshot))
        {
            await Task.Delay(20, Ct);
        }

        await Task.Delay(500, Ct);
        Calls.ShouldNotContain(c => c.StartsWith("clone ", StringComparison.Ordinal), "the clone waits for the base's gate");
        _backend.HeldBases().ShouldContain(ImageId.ToString("D"));
        hold.Dispose();
        await export;
        Calls.ShouldContain("rename " + Importing() + " " + Base);
        _backend.HeldBases().ShouldBeEmpty("the gate is released after the base is made");
    }

    [Fact]
    public async Task Instance_disks_pass_the_new_images_id_to_the_backend()
    {
        using var sandbox = new StorageSandbox(backend: (_, _) => _backend);
        var target = sandbox.Disks.SnapshotFilePath(InstanceId, ImageId);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        await sandbox.Disks.ExportRootDiskAsync(InstanceId, ImageId, target, DiskFormat.Raw, Ct);

        Calls.ShouldContain(c => c.StartsWith("rename ", StringComparison.Ordinal) && c.EndsWith(" " + Base, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _dir.Delete(recursive: true);
    }
}

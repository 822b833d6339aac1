using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>
/// The copy of a stopped guest's root disk for a snapshot, per backend: the exact argument arrays
/// where they are values (lvm), and the copy real qemu-img makes of a qcow2 overlay and of a flat disk.
/// </summary>
public sealed class SnapshotExportTests : IDisposable
{
    private const int PatternBytes = 1 << 20;

    private readonly List<StorageSandbox> _sandboxes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var sandbox in _sandboxes)
        {
            sandbox.Dispose();
        }
    }

    [Fact]
    public void Lvm_reads_the_volume_as_raw_into_the_target_format()
    {
        var tools = new LvmTools("/sbin/lvcreate", "/sbin/lvremove", "/sbin/lvs", "/usr/bin/qemu-img", "/sbin/blockdev", "/bin/dd", "/usr/bin/shred");
        var id = Guid.Parse("0b9d2c7e-2f4c-4d55-9a53-6e8f0b1c2d3e");

        var command = LvmBackend.ExportCommand(tools, "vireo-vg", id, "/var/lib/vireo/instances/x/snapshot-y.part", DiskFormat.Qcow2);

        command.Program.ShouldBe("/usr/bin/qemu-img");
        command.Arguments.ShouldBe(["convert", "-f", "raw", "-O", "qcow2", "/dev/vireo-vg/0b9d2c7e-2f4c-4d55-9a53-6e8f0b1c2d3e_disk", "/var/lib/vireo/instances/x/snapshot-y.part"]);
    }

    [Fact]
    public void Lvm_refuses_a_running_guest_with_the_reason_and_the_file_backends_do_not()
    {
        var backend = new LvmBackend(new FakeCommandRunner(), new LvmTools("/a", "/b", "/c", "/d", "/e", "/f", "/g"), new LvmSettings("vg", VolumeClear.None, 0));

        backend.RunningDiskCopy.ShouldBeOfType<RunningDiskCopy.Refused>().Reason.ShouldContain("stop the server");
        ((IImageBackend)new Qcow2Backend(new QemuImg(Sandbox().Settings))).RunningDiskCopy.ShouldBe(RunningDiskCopy.ByHypervisor);
    }

    [Fact]
    public void The_rbd_export_snapshot_name_is_a_valid_rbd_name_per_target()
    {
        var one = RbdBackend.ExportSnapshotName("/i/a/snapshot-1.part");

        Rbd.RbdNames.IsValid(one).ShouldBeTrue(one);
        one.ShouldStartWith("vireo-export-");
        RbdBackend.ExportSnapshotName("/i/a/snapshot-1.part").ShouldBe(one);
        RbdBackend.ExportSnapshotName("/i/a/snapshot-2.part").ShouldNotBe(one);
    }

    [Theory]
    [InlineData(DiskFormat.Qcow2)]
    [InlineData(DiskFormat.Raw)]
    public async Task A_qcow2_overlay_exports_with_its_base_as_one_standalone_image_of_the_asked_format(DiskFormat format)
    {
        var sandbox = Sandbox();
        var (instance, raw) = await CreateAsync(sandbox);
        var target = sandbox.Disks.SnapshotFilePath(instance.Id, Guid.NewGuid());

        await sandbox.Disks.ExportRootDiskAsync(instance.Id, Guid.NewGuid(), target, format, Ct);

        var info = await sandbox.QemuImg.InfoAsync(target, format, cancellationToken: Ct);
        info.Format.ShouldBe(format.QemuName());
        info.HasBackingFile.ShouldBeFalse("a snapshot stands alone");
        await Tool.QemuImgAsync("compare", "-f", format.QemuName(), "-F", "raw", target, raw);
    }

    [Fact]
    public async Task A_flat_disk_exports_reading_the_format_disk_info_records()
    {
        var sandbox = Sandbox((qemuImg, settings) => new FlatBackend(qemuImg, settings.ForceRawImages));
        var (instance, raw) = await CreateAsync(sandbox);
        var target = sandbox.Disks.SnapshotFilePath(instance.Id, Guid.NewGuid());

        await sandbox.Disks.ExportRootDiskAsync(instance.Id, Guid.NewGuid(), target, DiskFormat.Qcow2, Ct);

        (await sandbox.QemuImg.InfoAsync(target, DiskFormat.Qcow2, cancellationToken: Ct)).HasBackingFile.ShouldBeFalse();
        await Tool.QemuImgAsync("compare", "-f", "qcow2", "-F", "raw", target, raw);
    }

    [Fact]
    public async Task A_failed_export_leaves_no_target()
    {
        var sandbox = Sandbox();
        var (instance, _) = await CreateAsync(sandbox);
        File.Delete(Path.Join(sandbox.Disks.InstanceDirectory(instance.Id), "disk"));
        var target = sandbox.Disks.SnapshotFilePath(instance.Id, Guid.NewGuid());

        var failure = await Should.ThrowAsync<VireoException>(() => sandbox.Disks.ExportRootDiskAsync(instance.Id, Guid.NewGuid(), target, DiskFormat.Qcow2, Ct));

        failure.Kind.ShouldBe(ErrorKind.Failed);
        failure.Message.ShouldContain("qemu-img convert failed");
        File.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public async Task A_snapshot_image_left_saving_by_a_stopped_service_is_removed_at_start_while_an_upload_is_requeued()
    {
        var sandbox = Sandbox();
        var snapshot = await sandbox.Store.BeginSavingAsync(
            new ImageImportRequest("snap", DiskFormat.Qcow2, "bare", new Dictionary<string, string> { [SnapshotImage.ImageTypeKey] = SnapshotImage.ImageTypeSnapshot }), Ct);
        var upload = await sandbox.Store.RegisterAsync(new ImageImportRequest("upload", DiskFormat.Raw, "bare", ImageRecord.NoProperties), Ct);
        await sandbox.Registry.UpdateAsync(upload with { Status = ImageStatus.Saving }, Ct);

        // A new store over the same registry: the one that was saving is gone with its process.
        var restarted = new Images.FileImageStore(sandbox.Settings, sandbox.Registry, sandbox.QemuImg);
        var requeued = await restarted.RequeueInterruptedUploadsAsync(Ct);

        requeued.Select(i => i.Id).ShouldBe([upload.Id]);
        (await sandbox.Registry.GetAsync(snapshot.Image.Id, Ct)).ShouldBeNull();
        (await sandbox.Registry.GetAsync(upload.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
    }

    private StorageSandbox Sandbox(Func<QemuImg, StorageSettings, IImageBackend>? backend = null)
    {
        var sandbox = new StorageSandbox(backend: backend);
        _sandboxes.Add(sandbox);
        return sandbox;
    }

    /// <summary>A raw pattern imported as the image, and an instance's root disk made from it.</summary>
    private static async Task<(Instance Instance, string Raw)> CreateAsync(StorageSandbox sandbox)
    {
        var raw = Tool.MakeRaw(sandbox.ScratchPath("pattern.raw"), PatternBytes);
        var image = await sandbox.ImportFileAsync(raw, DiskFormat.Raw);
        var now = DateTimeOffset.UtcNow;
        var instance = new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);
        await sandbox.Disks.CreateRootDiskAsync(instance, image, new Flavor("1", "m1.tiny", 1, 128, 0, 0, 0, Flavor.NoExtraSpecs), null, Ct);
        return (instance, raw);
    }
}

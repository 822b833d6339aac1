using Vireo.Configuration.Options;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.HostFacts;
using Vireo.Storage.Qemu;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>
/// images_type = lvm: the plan as values and every argument array the backend passes, checked
/// exactly on a fake runner that runs nothing (nova/virt/libvirt/imagebackend.py Lvm,
/// nova/virt/libvirt/storage/lvm.py).
/// </summary>
public sealed class LvmBackendTests
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;
    private const string Vg = "nova-vg";
    private const string Base = "/var/lib/vireo/instances/_base/0123abcd";
    private static readonly Guid Id = Guid.Parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    private static readonly string Device = $"/dev/{Vg}/{Id}_disk";
    private static readonly LvmTools Tools = new("/sbin/lvcreate", "/sbin/lvremove", "/sbin/lvs", "/usr/bin/qemu-img", "/sbin/blockdev", "/bin/dd", "/usr/bin/shred");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RootDiskRequest Request(DiskFormat format, long baseBytes, long? flavorBytes)
    {
        var info = new ImageInfo(format.QemuName(), baseBytes, null, null, null, null, null, null, null, "{}");
        return new RootDiskRequest(Id, "vm-1", "/var/lib/vireo/instances/" + Id, new BaseImageLease(Base, format, info, new SemaphoreSlim(0)), flavorBytes, IsCdrom: false);
    }

    private static LvmBackend Backend(FakeCommandRunner runner, VolumeClear clear = VolumeClear.Zero, long clearSizeMiB = 0) =>
        new(runner, Tools, new LvmSettings(Vg, clear, clearSizeMiB));

    [Theory]
    [InlineData(1 * GiB, 2 * GiB, 2 * GiB)]
    [InlineData(1 * GiB, null, 1 * GiB)]
    [InlineData(1 * GiB, 1 * GiB, 1 * GiB)]
    public void The_plan_sizes_the_volume_at_the_larger_of_base_and_flavor(long baseBytes, long? flavorBytes, long size)
    {
        var plan = LvmBackend.Plan(Tools, Vg, Id, Base, DiskFormat.Qcow2, baseBytes, flavorBytes);

        plan.VolumeName.ShouldBe("1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk");
        plan.Device.ShouldBe("/dev/nova-vg/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk");
        plan.SizeBytes.ShouldBe(size);
        plan.Create.Arguments.ShouldBe(["-L", size + "b", "-n", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", Vg]);
    }

    [Fact]
    public void A_flavor_smaller_than_the_image_is_refused_before_anything_runs()
    {
        var refusal = Should.Throw<VireoException>(() => LvmBackend.Plan(Tools, Vg, Id, Base, DiskFormat.Raw, 2 * GiB, 1 * GiB));
        refusal.Kind.ShouldBe(ErrorKind.InvalidInput);
        refusal.Message.ShouldContain("pick a larger flavor");
    }

    [Fact]
    public async Task Create_makes_the_volume_then_writes_the_base_with_its_explicit_format_and_returns_a_raw_block_disk()
    {
        var runner = new FakeCommandRunner();

        var disk = await Backend(runner).CreateRootDiskAsync(Request(DiskFormat.Qcow2, 1 * GiB, 2 * GiB), Ct);

        runner.Calls.ShouldBe([
            ["/sbin/lvcreate", "-L", "2147483648b", "-n", $"{Id}_disk", Vg],
            ["/usr/bin/qemu-img", "convert", "-t", "none", "-f", "qcow2", "-O", "raw", Base, Device],
        ]);
        disk.ShouldBe(new GuestDisk(DiskRole.Root, new DiskSource.Block(Device), DiskFormat.Raw));
    }

    [Fact]
    public async Task A_failed_convert_removes_the_volume_it_made_and_reports_the_tools_message()
    {
        var runner = new FakeCommandRunner((program, _) => program switch
        {
            "/usr/bin/qemu-img" => new CommandResult(1, "", "qemu-img: error while writing at byte 0: Input/output error\n"),
            "/sbin/blockdev" => new CommandResult(0, "2147483648\n", ""),
            _ => null,
        });

        var failure = await Should.ThrowAsync<VireoException>(() => Backend(runner).CreateRootDiskAsync(Request(DiskFormat.Raw, 1 * GiB, 2 * GiB), Ct));

        failure.Kind.ShouldBe(ErrorKind.Failed);
        failure.Message.ShouldContain("qemu-img failed (exit status 1): qemu-img: error while writing at byte 0: Input/output error");
        runner.Calls.ShouldBe([
            ["/sbin/lvcreate", "-L", "2147483648b", "-n", $"{Id}_disk", Vg],
            ["/usr/bin/qemu-img", "convert", "-t", "none", "-f", "raw", "-O", "raw", Base, Device],
            ["/sbin/blockdev", "--getsize64", Device],
            ["/bin/dd", "bs=1048576", "if=/dev/zero", "of=" + Device, "seek=0", "count=2048", "oflag=direct"],
            ["/sbin/lvremove", "-f", Device],
        ]);
    }

    [Fact]
    public async Task A_failed_lvcreate_leaves_nothing_to_undo_and_a_full_group_is_too_large()
    {
        var runner = new FakeCommandRunner((program, _) => program == "/sbin/lvcreate"
            ? new CommandResult(5, "", "  Volume group \"nova-vg\" has insufficient free space (10 extents): 512 required.\n")
            : null);

        var failure = await Should.ThrowAsync<VireoException>(() => Backend(runner).CreateRootDiskAsync(Request(DiskFormat.Raw, 1 * GiB, 2 * GiB), Ct));

        failure.Kind.ShouldBe(ErrorKind.TooLarge);
        runner.Calls.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(DiskRole.Ephemeral, "disk.local", "/var/lib/vireo/instances/_base/ephemeral_1_40d1d2c", 1 * GiB)]
    [InlineData(DiskRole.Swap, "disk.swap", "/var/lib/vireo/instances/_base/swap_64", 64 * MiB)]
    public async Task An_ephemeral_or_swap_disk_is_a_volume_of_the_templates_size_written_from_the_raw_template(DiskRole role, string name, string template, long size)
    {
        var runner = new FakeCommandRunner();
        var request = new ExtraDiskRequest(Id, "vm-1", "/var/lib/vireo/instances/" + Id, role, name, Path.GetFileName(template), template, size);

        var disk = await Backend(runner).CreateExtraDiskAsync(request, Ct);

        var device = $"/dev/{Vg}/{Id}_{name}";
        runner.Calls.ShouldBe([
            ["/sbin/lvcreate", "-L", size + "b", "-n", $"{Id}_{name}", Vg],
            ["/usr/bin/qemu-img", "convert", "-t", "none", "-f", "raw", "-O", "raw", template, device],
        ]);
        disk.ShouldBe(new GuestDisk(role, new DiskSource.Block(device), DiskFormat.Raw));
    }

    [Fact]
    public async Task A_failed_write_of_a_swap_volume_removes_it()
    {
        var device = $"/dev/{Vg}/{Id}_disk.swap";
        var runner = new FakeCommandRunner((program, _) => program switch
        {
            "/usr/bin/qemu-img" => new CommandResult(1, "", "qemu-img: Could not open '/dev/nova-vg/x': No such device\n"),
            "/sbin/blockdev" => new CommandResult(0, "67108864\n", ""),
            _ => null,
        });
        var request = new ExtraDiskRequest(Id, "vm-1", "/var/lib/vireo/instances/" + Id, DiskRole.Swap, "disk.swap", "swap_64", "/b/swap_64", 64 * MiB);

        var failure = await Should.ThrowAsync<VireoException>(() => Backend(runner).CreateExtraDiskAsync(request, Ct));

        failure.Kind.ShouldBe(ErrorKind.Failed);
        runner.Calls[^1].ShouldBe(["/sbin/lvremove", "-f", device]);
        runner.Calls[^2].ShouldBe(["/bin/dd", "bs=1048576", "if=/dev/zero", "of=" + device, "seek=0", "count=64", "oflag=direct"]);
    }

    [Fact]
    public async Task Remove_lists_the_group_and_wipes_and_removes_only_this_instances_volumes()
    {
        var runner = new FakeCommandRunner((program, arguments) => program switch
        {
            "/sbin/lvs" => new CommandResult(0, $"  {Id}_disk   8388608\n  {Id}_disk.local 4194304\n  ffffffff-2fa1-11d2-883f-0016d3cca427_disk 8388608\n", ""),
            "/sbin/blockdev" => new CommandResult(0, arguments[^1].EndsWith("_disk", StringComparison.Ordinal) ? "8388608\n" : "4194304\n", ""),
            _ => null,
        });

        await Backend(runner).RemoveDisksAsync(Id, Ct);

        var local = $"/dev/{Vg}/{Id}_disk.local";
        runner.Calls.ShouldBe([
            ["/sbin/lvs", "--noheadings", "-o", "lv_name,lv_size", "--units", "b", "--nosuffix", Vg],
            ["/sbin/blockdev", "--getsize64", Device],
            ["/bin/dd", "bs=1048576", "if=/dev/zero", "of=" + Device, "seek=0", "count=8", "oflag=direct"],
            ["/sbin/lvremove", "-f", Device],
            ["/sbin/blockdev", "--getsize64", local],
            ["/bin/dd", "bs=1048576", "if=/dev/zero", "of=" + local, "seek=0", "count=4", "oflag=direct"],
            ["/sbin/lvremove", "-f", local],
        ]);
    }

    [Fact]
    public async Task Remove_of_an_instance_without_volumes_runs_only_lvs()
    {
        var runner = new FakeCommandRunner((program, _) => program == "/sbin/lvs" ? new CommandResult(0, "  other_disk 8388608\n", "") : null);

        await Backend(runner).RemoveDisksAsync(Id, Ct);

        runner.Calls.ShouldHaveSingleItem()[0].ShouldBe("/sbin/lvs");
    }

    [Fact]
    public async Task Volume_clear_none_removes_without_reading_the_size_or_wiping()
    {
        var runner = new FakeCommandRunner((program, _) => program == "/sbin/lvs" ? new CommandResult(0, $"  {Id}_disk 8388608\n", "") : null);

        await Backend(runner, VolumeClear.None).RemoveDisksAsync(Id, Ct);

        runner.Calls.ShouldBe([
            ["/sbin/lvs", "--noheadings", "-o", "lv_name,lv_size", "--units", "b", "--nosuffix", Vg],
            ["/sbin/lvremove", "-f", Device],
        ]);
    }

    [Fact]
    public async Task Volume_clear_shred_overwrites_three_times_the_clear_size()
    {
        var runner = new FakeCommandRunner((program, _) => program switch
        {
            "/sbin/lvs" => new CommandResult(0, $"  {Id}_disk 8388608\n", ""),
            "/sbin/blockdev" => new CommandResult(0, "8388608\n", ""),
            _ => null,
        });

        await Backend(runner, VolumeClear.Shred, clearSizeMiB: 2).RemoveDisksAsync(Id, Ct);

        runner.Calls[2].ShouldBe(["/usr/bin/shred", "-n3", "-s2097152", Device]);
        runner.Calls[3].ShouldBe(["/sbin/lvremove", "-f", Device]);
    }

    [Theory]
    [InlineData(VolumeClear.Zero, 0, 8 * MiB)]
    [InlineData(VolumeClear.Zero, 3, 3 * MiB)]
    [InlineData(VolumeClear.Zero, 100, 8 * MiB)]
    [InlineData(VolumeClear.Shred, 0, 8 * MiB)]
    public void The_clear_size_is_volume_clear_size_MiB_when_set_and_smaller_else_the_whole_volume(VolumeClear clear, long clearSizeMiB, long wiped)
    {
        var command = LvmBackend.ClearCommands(Tools, clear, clearSizeMiB, Device, 8 * MiB).ShouldHaveSingleItem();

        var expected = clear == VolumeClear.Shred ? $"-s{wiped}" : $"count={wiped / MiB}";
        command.Arguments.ShouldContain(expected);
    }

    [Fact]
    public void Zeroing_a_size_that_is_not_whole_MiB_writes_the_rest_in_KiB_then_bytes_with_fdatasync()
    {
        var bytes = (3 * MiB) + (2 * 1024) + 5;

        LvmBackend.ClearCommands(Tools, VolumeClear.Zero, 0, Device, bytes).Select(c => c.Arguments).ShouldBe([
            ["bs=1048576", "if=/dev/zero", "of=" + Device, "seek=0", "count=3", "oflag=direct"],
            ["bs=1024", "if=/dev/zero", "of=" + Device, "seek=3072", "count=2", "conv=fdatasync"],
            ["bs=1", "if=/dev/zero", "of=" + Device, "seek=3147776", "count=5", "conv=fdatasync"],
        ]);
        LvmBackend.ClearCommands(Tools, VolumeClear.None, 0, Device, bytes).ShouldBeEmpty();
    }

    /// <summary>
    /// The real path needs the kernel's device-mapper (/dev/mapper/control) and a volume group.
    /// These machines have no device-mapper, so the real lvm path is not run here: the test then
    /// asserts that the start-up choice refuses lvm with the host's reason. On a host with
    /// device-mapper and the group named by VIREO_TEST_LVM_VG it makes and removes a real volume.
    /// </summary>
    [Fact]
    public async Task On_this_host_lvm_is_served_only_with_device_mapper_and_its_volume_group()
    {
        var group = Environment.GetEnvironmentVariable("VIREO_TEST_LVM_VG") ?? "nova-vg";
        var facts = await StorageFactsReader.ReadAsync(
            new StorageFactsRequest("/tmp", ImagesType.Lvm, group, "", "rbd"), "/", StorageFactsReader.SearchPath(), Ct);
        var decision = ImageBackendSelection.Decide(new ImageBackendFacts("lvm", UseCowImages: true, facts.Lvm));

        if (!File.Exists("/dev/mapper/control"))
        {
            facts.Lvm!.DeviceMapper.ShouldBe(false);
            decision.Refusal.ShouldBe("[libvirt] images_type = lvm cannot be used: this host has no device-mapper (/dev/mapper/control is missing), so no logical volume can be made; set [libvirt] images_type = qcow2 or flat");
            return;
        }

        if (decision.Refusal is not null)
        {
            Assert.Skip($"device-mapper is present but lvm is refused here ({decision.Refusal}); set VIREO_TEST_LVM_VG to a volume group to run the real path");
        }

        var scratch = Directory.CreateTempSubdirectory("vireo-lvm-");
        var settings = new StorageSettings(scratch.FullName, scratch.FullName);
        try
        {
            var raw = Path.Join(scratch.FullName, "base.raw");
            await File.WriteAllBytesAsync(raw, new byte[4 * MiB], Ct);
            var info = new ImageInfo("raw", 4 * MiB, null, null, null, null, null, null, null, "{}");
            var backend = new LvmBackend(new LimitedCommandRunner(settings, settings.ConvertLimits), LvmTools.Resolve("qemu-img"), new LvmSettings(group, VolumeClear.Zero, 1));
            var id = Guid.NewGuid();
            var request = new RootDiskRequest(id, "lvm-real", scratch.FullName, new BaseImageLease(raw, DiskFormat.Raw, info, new SemaphoreSlim(0)), 8 * MiB, false);
            try
            {
                var disk = await backend.CreateRootDiskAsync(request, Ct);
                File.Exists(disk.Source.Describe()).ShouldBeTrue();
            }
            finally
            {
                await backend.RemoveDisksAsync(id, CancellationToken.None);
            }

            File.Exists($"/dev/{group}/{LvmBackend.VolumeName(id)}").ShouldBeFalse();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}

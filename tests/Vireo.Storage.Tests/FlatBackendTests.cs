using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>images_type = flat: the plan as values, and the copy real qemu-img makes on temporary files.</summary>
public sealed class FlatBackendTests : IDisposable
{
    private const long GiB = 1L << 30;

    private readonly StorageSandbox _sandbox = new(backend: Flat);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    private static IImageBackend Flat(QemuImg qemuImg, StorageSettings settings) => new FlatBackend(qemuImg, settings.ForceRawImages);

    public static TheoryData<DiskFormat, bool, long?, DiskFormat, long?> Plans => new()
    {
        // base format, force_raw_images, flavor root bytes -> copy format, grow to
        { DiskFormat.Raw, true, 2 * GiB, DiskFormat.Raw, 2 * GiB },
        { DiskFormat.Raw, false, 2 * GiB, DiskFormat.Raw, 2 * GiB },
        { DiskFormat.Raw, true, null, DiskFormat.Raw, null },
        { DiskFormat.Raw, true, 1 * GiB, DiskFormat.Raw, null },
        { DiskFormat.Qcow2, false, 2 * GiB, DiskFormat.Qcow2, 2 * GiB },
        { DiskFormat.Qcow2, true, null, DiskFormat.Raw, null },
        { DiskFormat.Vmdk, false, null, DiskFormat.Raw, null },
        { DiskFormat.Iso, true, null, DiskFormat.Raw, null },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void The_plan_copies_to_raw_except_a_qcow2_base_kept_by_force_raw_images_off_and_grows_only_to_a_larger_flavor(
        DiskFormat baseFormat, bool forceRaw, long? flavorBytes, DiskFormat copy, long? growTo)
    {
        FlatBackend.Plan(baseFormat, 1 * GiB, flavorBytes, forceRaw).ShouldBe(new FlatDiskPlan(baseFormat, copy, growTo));
    }

    [Fact]
    public async Task A_raw_base_becomes_a_raw_disk_without_backing_file_grown_to_the_flavor_with_the_base_content()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("pattern.raw"), 1 << 20);
        var image = await _sandbox.ImportFileAsync(raw, DiskFormat.Raw);

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(rootGiB: 2), null, Ct);

        var root = layout.Disks.ShouldHaveSingleItem();
        root.Format.ShouldBe(DiskFormat.Raw);
        root.FilePath().ShouldBe(Path.Join(layout.InstanceDirectory, "disk"));
        var info = await _sandbox.QemuImg.InfoAsync(root.FilePath(), DiskFormat.Raw, cancellationToken: Ct);
        info.Format.ShouldBe("raw");
        info.HasBackingFile.ShouldBeFalse();
        info.VirtualSizeBytes.ShouldBe(2 * GiB);
        await Tool.QemuImgAsync("compare", "-f", "raw", "-F", "raw", root.FilePath(), raw);
        Directory.GetFiles(layout.InstanceDirectory, "*.part").ShouldBeEmpty();
        File.ReadAllText(Path.Join(layout.InstanceDirectory, "disk.info")).ShouldBe($"{{\"{root.FilePath()}\":\"raw\"}}");
    }

    [Fact]
    public async Task A_flavor_of_0_GiB_keeps_the_images_size()
    {
        var image = await _sandbox.ImportFileAsync(Tool.MakeRaw(_sandbox.ScratchPath("small.raw"), 3 << 20), DiskFormat.Raw);

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(rootGiB: 0), null, Ct);

        (await _sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Raw, cancellationToken: Ct)).VirtualSizeBytes.ShouldBe(3L << 20);
    }

    [Fact]
    public async Task A_qcow2_base_kept_by_force_raw_images_off_becomes_a_qcow2_copy_without_backing_file()
    {
        using var sandbox = new StorageSandbox(settings => settings with { ForceRawImages = false }, Flat);
        var raw = Tool.MakeRaw(sandbox.ScratchPath("pattern.raw"), 2 << 20);
        var image = await sandbox.ImportFileAsync(await Tool.MakeQcow2FromRawAsync(raw, sandbox.ScratchPath("p.qcow2")), DiskFormat.Qcow2);

        var layout = await sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(rootGiB: 1), null, Ct);

        layout.Disks[0].Format.ShouldBe(DiskFormat.Qcow2);
        var info = await sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct);
        info.Format.ShouldBe("qcow2");
        info.HasBackingFile.ShouldBeFalse();
        info.VirtualSizeBytes.ShouldBe(1 * GiB);
        await Tool.QemuImgAsync("compare", "-f", "qcow2", "-F", "raw", layout.Disks[0].FilePath(), raw);
    }

    [Fact]
    public async Task A_qcow2_image_with_force_raw_images_becomes_a_raw_copy()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("pattern.raw"), 2 << 20);
        var image = await _sandbox.ImportFileAsync(await Tool.MakeQcow2FromRawAsync(raw, _sandbox.ScratchPath("p.qcow2")), DiskFormat.Qcow2);

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(rootGiB: 1), null, Ct);

        layout.Disks[0].Format.ShouldBe(DiskFormat.Raw);
        var info = await _sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Raw, cancellationToken: Ct);
        info.HasBackingFile.ShouldBeFalse();
        await Tool.QemuImgAsync("compare", "-f", "raw", "-F", "raw", layout.Disks[0].FilePath(), raw);
    }

    [Fact]
    public async Task A_flavor_smaller_than_the_image_is_refused_as_with_qcow2_and_leaves_no_directory()
    {
        var image = await _sandbox.ImportFileAsync(Tool.MakeRaw(_sandbox.ScratchPath("small.raw"), 1 << 20), DiskFormat.Raw);
        var big = image with { VirtualSizeBytes = 2 * GiB, Name = "x" };
        var instance = NewInstance(big);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(instance, big, Flavor(rootGiB: 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldBe("flavor m1.tiny's 1 GiB root disk is smaller than image 'x' (2.0 GiB); pick a larger flavor");
        Directory.Exists(_sandbox.Disks.InstanceDirectory(instance.Id)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_failed_copy_leaves_neither_the_disk_nor_its_temporary_file()
    {
        var directory = _sandbox.ScratchPath("instance");
        Directory.CreateDirectory(directory);
        var info = new ImageInfo("raw", 1 << 20, null, null, null, null, null, null, null, "{}");
        using var lease = new BaseImageLease(_sandbox.ScratchPath("no-such-base"), DiskFormat.Raw, info, new SemaphoreSlim(0, 1));
        var backend = new FlatBackend(_sandbox.QemuImg, forceRawImages: true);

        var error = await Should.ThrowAsync<VireoException>(() =>
            backend.CreateRootDiskAsync(new RootDiskRequest(Guid.NewGuid(), "vm", directory, lease, 2 * GiB, false), Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldStartWith("qemu-img convert failed for");
        Directory.GetFileSystemEntries(directory).ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task Ephemeral_and_swap_are_raw_copies_of_their_templates_without_backing_file()
    {
        using var sandbox = new StorageSandbox(settings => settings with { DefaultEphemeralFormat = "ext4" }, Flat);
        var image = await sandbox.ImportFileAsync(Tool.MakeRaw(sandbox.ScratchPath("i.raw"), 1 << 20), DiskFormat.Raw);

        var layout = await sandbox.Disks.CreateRootDiskAsync(
            NewInstance(image), image, new Flavor("2", "m1.eph", 1, 128, 1, EphemeralGiB: 1, SwapMiB: 16, Core.Flavor.NoExtraSpecs), null, Ct);

        layout.Disks.Select(d => (d.Role, d.Format, d.FilePath())).ShouldBe([
            (DiskRole.Root, DiskFormat.Raw, Path.Join(layout.InstanceDirectory, "disk")),
            (DiskRole.Ephemeral, DiskFormat.Raw, Path.Join(layout.InstanceDirectory, "disk.local")),
            (DiskRole.Swap, DiskFormat.Raw, Path.Join(layout.InstanceDirectory, "disk.swap")),
        ]);
        foreach (var (disk, template) in new[] { (layout.Disks[1], "ephemeral_1_40d1d2c"), (layout.Disks[2], "swap_16") })
        {
            var info = await sandbox.QemuImg.InfoAsync(disk.FilePath(), DiskFormat.Raw, cancellationToken: Ct);
            info.HasBackingFile.ShouldBeFalse();
            await Tool.QemuImgAsync("compare", "-f", "raw", "-F", "raw", disk.FilePath(), Path.Join(sandbox.Settings.BaseDirectory, template));
        }

        Directory.GetFiles(layout.InstanceDirectory, "*.part").ShouldBeEmpty();
    }

    private static Instance NewInstance(ImageRecord image)
    {
        var now = DateTimeOffset.UtcNow;
        return new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);
    }

    private static Flavor Flavor(int rootGiB) => new("1", "m1.tiny", 1, 128, rootGiB, 0, 0, Core.Flavor.NoExtraSpecs);
}

/// <summary>InstanceDisks undoes a root disk a backend keeps outside the instance directory when a later step fails.</summary>
public sealed class BackendUndoTests : IDisposable
{
    private readonly OutsideBackend _backend = new();
    private readonly StorageSandbox _sandbox;

    public BackendUndoTests() => _sandbox = new StorageSandbox(backend: (_, _) => _backend);

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_failure_after_the_backend_made_a_block_root_disk_asks_it_to_remove_the_disk_and_removes_the_directory()
    {
        var image = await _sandbox.ImportFileAsync(Tool.MakeRaw(_sandbox.ScratchPath("i.raw"), 1 << 20), DiskFormat.Raw);
        var now = DateTimeOffset.UtcNow;
        var instance = new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);

        await Should.ThrowAsync<IOException>(() => _sandbox.Disks.CreateRootDiskAsync(
            instance, image, new Flavor("1", "m1.tiny", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs), null, TestContext.Current.CancellationToken));

        _backend.Removed.ShouldBe([instance.Id]);
        Directory.Exists(_sandbox.Disks.InstanceDirectory(instance.Id)).ShouldBeFalse();
    }

    /// <summary>Makes a block root disk and, so the next step fails, takes disk.info's temporary name.</summary>
    private sealed class OutsideBackend : IImageBackend
    {
        public List<Guid> Removed { get; } = [];

        public ImageBackendKind Kind => ImageBackendKind.Lvm;

        public Task<GuestDisk> CreateRootDiskAsync(RootDiskRequest request, CancellationToken cancellationToken)
        {
            File.WriteAllText(Path.Join(request.InstanceDirectory, "disk.info.tmp"), "");
            return Task.FromResult(new GuestDisk(DiskRole.Root, new DiskSource.Block($"/dev/vg/{request.InstanceId:D}_disk"), DiskFormat.Raw));
        }

        public Task<GuestDisk> CreateExtraDiskAsync(ExtraDiskRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new GuestDisk(request.Role, new DiskSource.Block($"/dev/vg/{request.InstanceId:D}_{request.DiskName}"), DiskFormat.Raw));

        public Task RemoveDisksAsync(Guid instanceId, CancellationToken cancellationToken)
        {
            Removed.Add(instanceId);
            return Task.CompletedTask;
        }

        public Task ExportRootDiskAsync(RootDiskExport export, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

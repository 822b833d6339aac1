using System.Text.Json;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

public sealed class InstanceDisksTests : IDisposable
{
    private const long GiB = 1L << 30;

    private readonly StorageSandbox _sandbox = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Root_disk_is_a_qcow2_overlay_with_absolute_backing_path_backing_format_and_the_flavor_size()
    {
        var image = await ImportRawAsync();
        var instance = NewInstance(image);

        var layout = await _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.small", rootGiB: 2), null, Ct);

        var directory = Path.Join(_sandbox.Settings.InstancesPath, instance.Id.ToString("D"));
        var disk = Path.Join(directory, "disk");
        var basePath = Path.Join(_sandbox.Settings.InstancesPath, "_base", BaseImageCache.CacheFileName(image.Id));
        layout.InstanceDirectory.ShouldBe(directory);
        layout.Disks.ShouldBe([GuestDisk.File(DiskRole.Root, disk, DiskFormat.Qcow2)]);
        layout.ConsoleLog.ShouldBe(Path.Join(directory, "console.log"));
        var info = await _sandbox.QemuImg.InfoAsync(disk, DiskFormat.Qcow2, cancellationToken: Ct);
        info.BackingFilename.ShouldBe(basePath);
        Path.IsPathFullyQualified(info.BackingFilename!).ShouldBeTrue();
        info.BackingFilenameFormat.ShouldBe("raw");
        info.VirtualSizeBytes.ShouldBe(2 * GiB);
    }

    [Fact]
    public async Task Qcow2_image_base_keeps_its_format_and_the_overlay_names_it_without_force_raw_images()
    {
        using var sandbox = new StorageSandbox(settings => settings with { ForceRawImages = false });
        var qcow2 = await Tool.MakeEmptyQcow2Async(sandbox.ScratchPath("q.qcow2"), "3M");
        var image = await sandbox.ImportFileAsync(qcow2, DiskFormat.Qcow2);

        var layout = await sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", rootGiB: 1), null, Ct);

        var info = await sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct);
        info.BackingFilenameFormat.ShouldBe("qcow2");
        var baseInfo = await sandbox.QemuImg.InfoAsync(info.BackingFilename!, DiskFormat.Qcow2, forceShare: true, cancellationToken: Ct);
        baseInfo.VirtualSizeBytes.ShouldBe(3L << 20);
        Tool.Sha256Of(info.BackingFilename!).ShouldBe(image.Sha256);
    }

    [Fact]
    public async Task Qcow2_image_base_is_converted_to_raw_with_force_raw_images()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("pattern.raw"), 3 << 20);
        var image = await _sandbox.ImportFileAsync(await Tool.MakeQcow2FromRawAsync(raw, _sandbox.ScratchPath("p.qcow2")), DiskFormat.Qcow2);

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", rootGiB: 1), null, Ct);

        var info = await _sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct);
        info.BackingFilenameFormat.ShouldBe("raw");
        File.ReadAllBytes(info.BackingFilename!).ShouldBe(File.ReadAllBytes(raw));
    }

    [Fact]
    public async Task Flavor_with_a_zero_root_disk_gets_the_image_virtual_size()
    {
        var image = await ImportQcow2Async("5M");

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.zero", rootGiB: 0), null, Ct);

        (await _sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct)).VirtualSizeBytes.ShouldBe(5L << 20);
    }

    [Fact]
    public async Task Disk_info_records_the_root_disk_format_the_nova_way()
    {
        var image = await ImportRawAsync();

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", rootGiB: 1), null, Ct);

        var text = await File.ReadAllTextAsync(Path.Join(layout.InstanceDirectory, "disk.info"), Ct);
        JsonSerializer.Deserialize<Dictionary<string, string>>(text).ShouldBe(new Dictionary<string, string> { [layout.Disks[0].FilePath()] = "qcow2" });
        Directory.EnumerateFileSystemEntries(layout.InstanceDirectory).Select(Path.GetFileName).Order().ShouldBe(["disk", "disk.info", InstanceFiles.Owner]);
    }

    [Fact]
    public async Task Concurrent_creates_for_the_same_new_image_fill_the_base_once()
    {
        var image = await ImportRawAsync();
        _sandbox.CountingStore.OpenDelay = TimeSpan.FromMilliseconds(150);
        var flavor = Flavor("m1.tiny", rootGiB: 1);

        var layouts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct), Ct)));

        _sandbox.CountingStore.Opens.ShouldBe(1);
        var backings = new List<string>();
        foreach (var layout in layouts)
        {
            backings.Add((await _sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct)).BackingFilename!);
        }

        backings.Distinct().ShouldHaveSingleItem();
        Directory.EnumerateFileSystemEntries(Path.Join(_sandbox.Settings.InstancesPath, "_base")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_later_create_reuses_the_base_without_fetching_again()
    {
        var image = await ImportRawAsync();
        var flavor = Flavor("m1.tiny", rootGiB: 1);

        await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct);
        await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct);

        _sandbox.CountingStore.Opens.ShouldBe(1);
    }

    [Fact]
    public async Task Base_of_a_qcow2_image_rewritten_with_a_backing_file_is_refused_at_the_next_use()
    {
        var image = await ImportQcow2Async("1M");
        var flavor = Flavor("m1.tiny", rootGiB: 1);
        var first = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct);
        var basePath = (await _sandbox.QemuImg.InfoAsync(first.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct)).BackingFilename!;
        await TamperAsync(basePath);
        var second = NewInstance(image);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(second, image, flavor, null, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain($"the cached base {basePath} of {image.Label} failed its safety check");
        error.Message.ShouldContain("the qcow2 header names a backing file");
        error.Message.ShouldContain(_sandbox.ScratchPath("host-secret"));
        error.Message.ShouldContain("[qcow2.backing-file]");
        Directory.Exists(Path.Join(_sandbox.Settings.InstancesPath, second.Id.ToString("D"))).ShouldBeFalse();
        File.Exists(basePath).ShouldBeTrue();
    }

    [Fact]
    public async Task Base_of_a_raw_image_rewritten_as_qcow2_is_refused_at_the_next_use()
    {
        var image = await ImportRawAsync();
        var flavor = Flavor("m1.tiny", rootGiB: 1);
        var first = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct);
        var basePath = (await _sandbox.QemuImg.InfoAsync(first.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct)).BackingFilename!;
        await TamperAsync(basePath);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain("failed its safety check: ");
        error.Message.ShouldContain("the image is declared as raw but its content is qcow2");
        error.Message.ShouldContain("[format.mismatch]");
        error.Message.ShouldContain("[qcow2.backing-file]");
    }

    [Fact]
    public async Task Flavor_root_disk_smaller_than_the_image_is_refused_and_nothing_is_made()
    {
        var image = await ImportQcow2Async("2G", name: "x");
        var instance = NewInstance(image);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", rootGiB: 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldBe("flavor m1.tiny's 1 GiB root disk is smaller than image 'x' (2.0 GiB); pick a larger flavor");
        Directory.Exists(Path.Join(_sandbox.Settings.InstancesPath, instance.Id.ToString("D"))).ShouldBeFalse();
        _sandbox.CountingStore.Opens.ShouldBe(0);
    }

    [Fact]
    public async Task Flavor_too_small_is_caught_from_the_base_when_the_record_has_no_virtual_size()
    {
        var image = (await ImportQcow2Async("2G", name: "x")) with { VirtualSizeBytes = null };
        var instance = NewInstance(image);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", rootGiB: 1), null, Ct));

        error.Message.ShouldBe("flavor m1.tiny's 1 GiB root disk is smaller than image 'x' (2.0 GiB); pick a larger flavor");
        Directory.Exists(Path.Join(_sandbox.Settings.InstancesPath, instance.Id.ToString("D"))).ShouldBeFalse();
    }

    [Fact]
    public async Task Image_that_is_not_active_is_a_conflict()
    {
        var image = (await ImportRawAsync()) with { Status = ImageStatus.Queued };

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.Conflict);
    }

    [Fact]
    public async Task Image_in_a_format_that_cannot_boot_is_refused()
    {
        var image = (await ImportRawAsync()) with { DiskFormat = DiskFormat.Ploop };

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("disk_format 'ploop' is not accepted");
        _sandbox.CountingStore.Opens.ShouldBe(0);
    }

    [Fact]
    public async Task Iso_image_root_is_a_cdrom_overlay_on_its_unconverted_base()
    {
        var isoPath = _sandbox.ScratchPath("boot.iso");
        File.WriteAllBytes(isoPath, Vireo.Testing.BootableIso.Build(new byte[512]));
        var image = await _sandbox.ImportFileAsync(isoPath, DiskFormat.Iso, "installer");

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", 1), null, Ct);

        var root = layout.Disks.ShouldHaveSingleItem();
        root.IsCdrom.ShouldBeTrue();
        root.Role.ShouldBe(DiskRole.Root);
        var overlay = await _sandbox.QemuImg.InfoAsync(root.FilePath(), DiskFormat.Qcow2, cancellationToken: Ct);
        overlay.BackingFilenameFormat.ShouldBe("raw");
        File.ReadAllBytes(overlay.BackingFilename!).ShouldBe(File.ReadAllBytes(isoPath));
    }

    [Fact]
    public async Task Image_whose_stored_bytes_are_not_its_declared_format_is_not_cached()
    {
        var image = (await ImportRawAsync()) with { DiskFormat = DiskFormat.Vmdk };

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain("[format.mismatch]");
        Directory.EnumerateFileSystemEntries(Path.Join(_sandbox.Settings.InstancesPath, "_base")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Stored_bytes_that_no_longer_match_the_image_sha256_are_not_cached()
    {
        var image = (await ImportRawAsync()) with { Sha256 = new string('0', 64) };

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor("m1.tiny", 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain("sha256");
        Directory.EnumerateFileSystemEntries(Path.Join(_sandbox.Settings.InstancesPath, "_base")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Second_root_disk_for_the_same_instance_is_a_conflict_that_keeps_the_first()
    {
        var image = await ImportRawAsync();
        var instance = NewInstance(image);
        var layout = await _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct));

        error.Kind.ShouldBe(ErrorKind.Conflict);
        File.Exists(layout.Disks[0].FilePath()).ShouldBeTrue();
        File.Exists(Path.Join(layout.InstanceDirectory, "disk.info")).ShouldBeTrue();
    }

    [Fact]
    public async Task Failed_overlay_creation_removes_the_instance_directory_but_never_the_base()
    {
        var image = await ImportRawAsync();
        var brokenSettings = _sandbox.Settings with { QemuImgPath = "/nonexistent/qemu-img" };
        var bases = new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg);
        var disks = new InstanceDisks(brokenSettings, bases, new Qemu.QemuImg(brokenSettings));
        var instance = NewInstance(image);

        await Should.ThrowAsync<VireoException>(() => disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct));

        Directory.Exists(Path.Join(_sandbox.Settings.InstancesPath, instance.Id.ToString("D"))).ShouldBeFalse();
        File.Exists(bases.BasePath(image.Id)).ShouldBeTrue();
    }

    [Fact]
    public async Task Delete_removes_the_instance_directory_and_keeps_the_base()
    {
        var image = await ImportRawAsync();
        var instance = NewInstance(image);
        var layout = await _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct);
        await File.WriteAllTextAsync(Path.Join(layout.InstanceDirectory, "console.log"), "boot", Ct);
        var basePath = (await _sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct)).BackingFilename!;

        await _sandbox.Disks.DeleteInstanceFilesAsync(instance.Id, Ct);

        Directory.Exists(layout.InstanceDirectory).ShouldBeFalse();
        File.Exists(basePath).ShouldBeTrue();
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        var id = Guid.NewGuid();

        await _sandbox.Disks.DeleteInstanceFilesAsync(id, Ct);
        await _sandbox.Disks.DeleteInstanceFilesAsync(id, Ct);
    }

    [Fact]
    public async Task Delete_removes_links_inside_the_directory_without_following_them()
    {
        var outside = _sandbox.ScratchPath("outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Join(outside, "precious"), "keep", Ct);
        var id = Guid.NewGuid();
        var directory = Path.Join(_sandbox.Settings.InstancesPath, id.ToString("D"));
        Directory.CreateDirectory(directory);
        Directory.CreateSymbolicLink(Path.Join(directory, "escape"), outside);
        File.CreateSymbolicLink(Path.Join(directory, "escape-file"), Path.Join(outside, "precious"));

        await _sandbox.Disks.DeleteInstanceFilesAsync(id, Ct);

        Directory.Exists(directory).ShouldBeFalse();
        File.ReadAllText(Path.Join(outside, "precious")).ShouldBe("keep");
    }

    [Fact]
    public async Task Delete_of_an_instance_directory_that_is_a_link_removes_only_the_link()
    {
        var outside = _sandbox.ScratchPath("elsewhere");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Join(outside, "precious"), "keep", Ct);
        Directory.CreateDirectory(_sandbox.Settings.InstancesPath);
        var id = Guid.NewGuid();
        var link = Path.Join(_sandbox.Settings.InstancesPath, id.ToString("D"));
        Directory.CreateSymbolicLink(link, outside);

        await _sandbox.Disks.DeleteInstanceFilesAsync(id, Ct);

        Path.Exists(link).ShouldBeFalse();
        new FileInfo(link).LinkTarget.ShouldBeNull();
        File.ReadAllText(Path.Join(outside, "precious")).ShouldBe("keep");
    }

    [Fact]
    public async Task List_returns_only_real_directories_named_by_an_instance_uuid()
    {
        var instances = _sandbox.Settings.InstancesPath;
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        foreach (var name in new[] { a.ToString("D"), b.ToString("D"), "_base", "locks", "snapshots", Guid.NewGuid().ToString("D").ToUpperInvariant(), Guid.NewGuid().ToString("N") })
        {
            Directory.CreateDirectory(Path.Join(instances, name));
        }

        await File.WriteAllTextAsync(Path.Join(instances, Guid.NewGuid().ToString("D")), "a file", Ct);
        Directory.CreateSymbolicLink(Path.Join(instances, Guid.NewGuid().ToString("D")), _sandbox.Scratch);

        var listed = await _sandbox.Disks.ListInstanceDirectoriesAsync(Ct);

        listed.Select(entry => entry.InstanceId).ShouldBe(new[] { a, b }.Order());
        listed.ShouldAllBe(entry => entry.Owner == null, "directories made by hand have no owner file");
        listed.Select(entry => entry.Path).ShouldBe(new[] { a, b }.Order().Select(id => Path.Join(instances, id.ToString("D"))));
    }

    [Fact]
    public async Task List_of_a_missing_instances_path_is_empty()
    {
        (await _sandbox.Disks.ListInstanceDirectoriesAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Listed_directories_are_the_ones_created()
    {
        var image = await ImportRawAsync();
        var instance = NewInstance(image);
        await _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct);

        var listed = (await _sandbox.Disks.ListInstanceDirectoriesAsync(Ct)).ShouldHaveSingleItem();
        listed.InstanceId.ShouldBe(instance.Id);
        listed.Owner.ShouldNotBeNull().Is(StorageSandbox.InstallationId, StorageSandbox.HostName, instance.Id).ShouldBeTrue();
        listed.SizeBytes.ShouldNotBeNull().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_created_directory_records_its_owner_in_a_file_of_its_own()
    {
        var image = await ImportRawAsync();
        var instance = NewInstance(image);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct);

        var path = Path.Join(_sandbox.Disks.InstanceDirectory(instance.Id), InstanceFiles.Owner);
        using var owner = JsonDocument.Parse(await File.ReadAllTextAsync(path, Ct));
        owner.RootElement.GetProperty("installation_id").GetString().ShouldBe(StorageSandbox.InstallationId);
        owner.RootElement.GetProperty("host").GetString().ShouldBe(StorageSandbox.HostName);
        owner.RootElement.GetProperty("instance_id").GetGuid().ShouldBe(instance.Id);
        owner.RootElement.GetProperty("created_at").GetDateTimeOffset().ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task A_malformed_or_foreign_owner_file_is_read_as_what_it_says_or_as_none()
    {
        var instances = _sandbox.Settings.InstancesPath;
        var malformed = Guid.NewGuid();
        var foreign = Guid.NewGuid();
        Directory.CreateDirectory(Path.Join(instances, malformed.ToString("D")));
        Directory.CreateDirectory(Path.Join(instances, foreign.ToString("D")));
        await File.WriteAllTextAsync(Path.Join(instances, malformed.ToString("D"), InstanceFiles.Owner), "{not json", Ct);
        await File.WriteAllTextAsync(
            Path.Join(instances, foreign.ToString("D"), InstanceFiles.Owner),
            $$"""{"installation_id": "installation-2", "host": "compute9", "instance_id": "{{foreign}}", "created_at": "2025-01-01T00:00:00Z"}""",
            Ct);

        var listed = (await _sandbox.Disks.ListInstanceDirectoriesAsync(Ct)).ToDictionary(entry => entry.InstanceId);

        listed[malformed].Owner.ShouldBeNull();
        listed[foreign].Owner.ShouldBe(new DirectoryOwner("installation-2", "compute9", foreign, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Without_an_installation_id_no_owner_file_is_written()
    {
        using var sandbox = new StorageSandbox(settings => settings with { InstallationId = null });
        var raw = Tool.MakeRaw(sandbox.ScratchPath("a.raw"), 1 << 20);
        var image = await sandbox.ImportFileAsync(raw, DiskFormat.Raw, "raw-image");
        var instance = NewInstance(image);
        await sandbox.Disks.CreateRootDiskAsync(instance, image, Flavor("m1.tiny", 1), null, Ct);

        (await sandbox.Disks.ListInstanceDirectoriesAsync(Ct)).ShouldHaveSingleItem().Owner.ShouldBeNull();
    }

    private async Task<ImageRecord> ImportRawAsync()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath($"{Guid.NewGuid():N}.raw"), 1 << 20);
        return await _sandbox.ImportFileAsync(raw, DiskFormat.Raw, "raw-image");
    }

    private async Task<ImageRecord> ImportQcow2Async(string virtualSize, string name = "qcow2-image")
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath($"{Guid.NewGuid():N}.qcow2"), virtualSize);
        return await _sandbox.ImportFileAsync(qcow2, DiskFormat.Qcow2, name);
    }

    /// <summary>Replaces a base with a qcow2 that points at a host file, as an attacker with write access would.</summary>
    private async Task TamperAsync(string basePath)
    {
        var secret = _sandbox.ScratchPath("host-secret");
        if (!File.Exists(secret))
        {
            await File.WriteAllTextAsync(secret, "not for guests", Ct);
        }

        var evil = await Tool.MakeQcow2WithBackingAsync(_sandbox.ScratchPath("evil.qcow2"), secret, "raw");
        File.Copy(evil, basePath, overwrite: true);
    }

    private static Instance NewInstance(ImageRecord image)
    {
        var now = DateTimeOffset.UtcNow;
        return new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);
    }

    private static Flavor Flavor(string name, int rootGiB) => new("1", name, 1, 128, rootGiB, 0, 0, Core.Flavor.NoExtraSpecs);
}

using Vireo.Core;
using Vireo.Storage.Disks;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>
/// Every disk format an image may be registered with, made by the real qemu-img from one raw
/// pattern: it imports, its base is cached (converted to raw with force_raw_images, kept as it
/// is without), and the root disk a guest gets reads exactly the pattern.
/// </summary>
public sealed class BaseImageFormatsTests : IDisposable
{
    private const int PatternBytes = 3 << 20;
    private readonly List<StorageSandbox> _sandboxes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var sandbox in _sandboxes)
        {
            sandbox.Dispose();
        }
    }

    /// <summary>Glance's disk_format, qemu-img's -O and -o for making it, and QEMU's driver name.</summary>
    public static TheoryData<DiskFormat, string, string, string, bool> Formats() => new()
    {
        { DiskFormat.Raw, "raw", "", "raw", true },
        { DiskFormat.Raw, "raw", "", "raw", false },
        { DiskFormat.Qcow2, "qcow2", "", "qcow2", true },
        { DiskFormat.Qcow2, "qcow2", "", "qcow2", false },
        { DiskFormat.Qed, "qed", "", "qed", true },
        { DiskFormat.Qed, "qed", "", "qed", false },
        { DiskFormat.Vmdk, "vmdk", "subformat=monolithicSparse", "vmdk", true },
        { DiskFormat.Vmdk, "vmdk", "subformat=monolithicSparse", "vmdk", false },
        { DiskFormat.Vmdk, "vmdk", "subformat=streamOptimized", "vmdk", true },
        { DiskFormat.Vmdk, "vmdk", "subformat=streamOptimized", "vmdk", false },
        { DiskFormat.Vhd, "vpc", "subformat=dynamic", "vpc", true },
        { DiskFormat.Vhd, "vpc", "subformat=fixed", "vpc", false },
        { DiskFormat.Vhdx, "vhdx", "", "vhdx", true },
        { DiskFormat.Vhdx, "vhdx", "", "vhdx", false },
        { DiskFormat.Vdi, "vdi", "", "vdi", true },
        { DiskFormat.Vdi, "vdi", "", "vdi", false },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Image_imports_and_its_root_disk_reads_the_same_bytes(DiskFormat diskFormat, string qemuFormat, string options, string driver, bool forceRaw)
    {
        var sandbox = Sandbox(forceRaw);
        var raw = Tool.MakeRaw(sandbox.ScratchPath("pattern.raw"), PatternBytes);
        var file = await MakeAsync(raw, sandbox.ScratchPath("image." + qemuFormat), qemuFormat, options);

        var image = await sandbox.ImportFileAsync(file, diskFormat);
        var layout = await sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(), null, Ct);

        image.DiskFormat.ShouldBe(diskFormat);
        image.VirtualSizeBytes.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(PatternBytes);
        var overlay = await sandbox.QemuImg.InfoAsync(layout.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct);
        var expectedBaseFormat = forceRaw ? "raw" : driver;
        overlay.BackingFilenameFormat.ShouldBe(expectedBaseFormat);
        overlay.BackingFilename.ShouldBe(Path.Join(sandbox.Settings.BaseDirectory, BaseImageCache.CacheFileName(image.Id)));
        // qemu-img compare reads both through their drivers; a longer disk must be zeros past the pattern.
        await Tool.QemuImgAsync("compare", "-f", "qcow2", "-F", "raw", layout.Disks[0].FilePath(), raw);
    }

    [Fact]
    public async Task Conversion_to_raw_reports_progress_in_order_up_to_100()
    {
        var sandbox = Sandbox(forceRaw: true);
        var raw = Tool.MakeRaw(sandbox.ScratchPath("pattern.raw"), 8 << 20);
        var image = await sandbox.ImportFileAsync(await MakeAsync(raw, sandbox.ScratchPath("p.vmdk"), "vmdk", "subformat=streamOptimized"), DiskFormat.Vmdk);
        var cache = new BaseImageCache(sandbox.Settings, sandbox.Store, sandbox.QemuImg);
        var progress = new RecordingProgress<BaseFillProgress>();

        using (await cache.AcquireAsync(image, progress, Ct))
        {
        }

        var values = progress.Values;
        values.Select(v => v.Stage).ShouldContain("converting vmdk to raw");
        values.Select(v => v.Percent).ShouldBe(values.Select(v => v.Percent).Order().ToList());
        values[^1].ShouldBe(new BaseFillProgress("ready", 100));
        cache.Fills.ShouldBe(1);
    }

    [Fact]
    public async Task Base_kept_in_its_format_is_still_used_after_force_raw_images_is_turned_on()
    {
        var before = Sandbox(forceRaw: false);
        var raw = Tool.MakeRaw(before.ScratchPath("pattern.raw"), PatternBytes);
        var image = await before.ImportFileAsync(await Tool.MakeQcow2FromRawAsync(raw, before.ScratchPath("p.qcow2")), DiskFormat.Qcow2);
        await before.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(), null, Ct);
        var after = new BaseImageCache(before.Settings with { ForceRawImages = true }, before.Store, before.QemuImg);

        using var lease = await after.AcquireAsync(image, Ct);

        lease.Format.ShouldBe(DiskFormat.Qcow2);
        after.Fills.ShouldBe(0);
    }

    [Fact]
    public async Task Converted_base_tampered_into_a_qcow2_with_a_backing_file_is_refused_at_the_next_use()
    {
        var sandbox = Sandbox(forceRaw: true);
        var raw = Tool.MakeRaw(sandbox.ScratchPath("pattern.raw"), PatternBytes);
        var image = await sandbox.ImportFileAsync(await MakeAsync(raw, sandbox.ScratchPath("p.qed"), "qed", ""), DiskFormat.Qed);
        var first = await sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(), null, Ct);
        var basePath = (await sandbox.QemuImg.InfoAsync(first.Disks[0].FilePath(), DiskFormat.Qcow2, cancellationToken: Ct)).BackingFilename!;
        var secret = sandbox.ScratchPath("host-secret");
        await File.WriteAllTextAsync(secret, "not for guests", Ct);
        await Tool.QemuImgAsync("create", "-f", "qed", "-F", "raw", "-b", secret, sandbox.ScratchPath("evil.qed"), "3M");
        File.Copy(sandbox.ScratchPath("evil.qed"), basePath, overwrite: true);

        var error = await Should.ThrowAsync<VireoException>(() => sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, Flavor(), null, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain($"the cached base {basePath}");
        error.Message.ShouldContain("[qed.backing-file]");
    }

    [Fact]
    public async Task Vmdk_subformat_outside_vmdk_allowed_types_is_refused_at_import()
    {
        var sandbox = Sandbox(forceRaw: true, vmdkAllowedTypes: ["streamOptimized"]);
        var raw = Tool.MakeRaw(sandbox.ScratchPath("pattern.raw"), PatternBytes);
        var file = await MakeAsync(raw, sandbox.ScratchPath("m.vmdk"), "vmdk", "subformat=monolithicSparse");

        var error = await Should.ThrowAsync<VireoException>(() => sandbox.ImportFileAsync(file, DiskFormat.Vmdk, "sparse"));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldStartWith("image 'sparse' is refused: ");
        error.Message.ShouldContain("monolithicSparse");
        error.Message.ShouldContain("[vmdk.create-type-not-allowed]");
        sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
    }

    private StorageSandbox Sandbox(bool forceRaw, IReadOnlyList<string>? vmdkAllowedTypes = null)
    {
        var sandbox = new StorageSandbox(settings => settings with
        {
            ForceRawImages = forceRaw,
            VmdkAllowedTypes = vmdkAllowedTypes ?? settings.VmdkAllowedTypes,
        });
        _sandboxes.Add(sandbox);
        return sandbox;
    }

    private static async Task<string> MakeAsync(string raw, string path, string qemuFormat, string options)
    {
        string[] arguments = options.Length == 0
            ? ["convert", "-f", "raw", "-O", qemuFormat, raw, path]
            : ["convert", "-f", "raw", "-O", qemuFormat, "-o", options, raw, path];
        await Tool.QemuImgAsync(arguments);
        return path;
    }

    private static Instance NewInstance(ImageRecord image)
    {
        var now = DateTimeOffset.UtcNow;
        return new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);
    }

    private static Flavor Flavor() => new("1", "m1.tiny", 1, 128, 1, 0, 0, Core.Flavor.NoExtraSpecs);
}

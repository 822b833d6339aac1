using System.Diagnostics;
using System.Text.Json;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests.Ephemeral;

/// <summary>Templates formatted by the real mkfs/mkswap on temporary files, read back with blkid.</summary>
public sealed class EphemeralDisksTests : IDisposable
{
    private const long GiB = 1L << 30;

    private readonly StorageSandbox _sandbox = new(settings => settings with { DefaultEphemeralFormat = "ext4" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Theory(Timeout = 120_000)]
    [InlineData("ext4")]
    [InlineData("ext3")]
    [InlineData("xfs")]
    [InlineData("vfat")]
    public async Task An_ephemeral_template_has_the_chosen_file_system_labelled_ephemeral0(string fileSystem)
    {
        var cache = new DiskTemplateCache(_sandbox.Settings);
        var choice = new FileSystemChoice(fileSystem, FileSystemSource.DefaultEphemeralFormat);
        var template = new DiskTemplate(EphemeralTemplates.EphemeralTemplateName(1, fileSystem), GiB, EphemeralTemplates.FormatEphemeral(choice, EphemeralTemplates.Label));

        using var lease = await cache.AcquireAsync(template, Ct);

        lease.Path.ShouldBe(Path.Join(_sandbox.Settings.BaseDirectory, template.Name));
        new FileInfo(lease.Path).Length.ShouldBe(GiB);
        var found = await BlkidAsync(lease.Path);
        found["TYPE"].ShouldBe(fileSystem);
        found["LABEL"].ShouldBe("ephemeral0");
        BaseEntries().ShouldBe([template.Name], "no temporary file is left");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_swap_template_is_swap()
    {
        var cache = new DiskTemplateCache(_sandbox.Settings);

        using var lease = await cache.AcquireAsync(new DiskTemplate("swap_64", 64L << 20, EphemeralTemplates.FormatSwap()), Ct);

        (await BlkidAsync(lease.Path))["TYPE"].ShouldBe("swap");
        new FileInfo(lease.Path).Length.ShouldBe(64L << 20);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_template_leased_through_the_base_caches_gates_cannot_be_held_by_the_cache_manager_meanwhile()
    {
        var bases = new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg);
        var cache = new DiskTemplateCache(_sandbox.Settings, gates: bases.Gates);

        using (var lease = await cache.AcquireAsync(new DiskTemplate("swap_16", 16L << 20, EphemeralTemplates.FormatSwap()), Ct))
        {
            bases.HeldNames().ShouldContain("swap_16");
            bases.TryHold("swap_16").ShouldBeNull("the image cache manager must not remove a template a create holds");
        }

        using var held = bases.TryHold("swap_16");
        held.ShouldNotBeNull("once the lease is gone the manager may take the template's gate");
    }

    [Fact(Timeout = 120_000)]
    public async Task Concurrent_users_of_one_name_make_one_template()
    {
        var cache = new DiskTemplateCache(_sandbox.Settings);
        var template = new DiskTemplate("swap_16", 16L << 20, EphemeralTemplates.FormatSwap());

        var paths = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var lease = await cache.AcquireAsync(template, Ct);
            return lease.Path;
        }, Ct)));

        cache.Creations.ShouldBe(1);
        paths.Distinct().ShouldHaveSingleItem();
        BaseEntries().ShouldBe(["swap_16"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Two_caches_sharing_the_directory_end_with_one_template_and_no_leftovers()
    {
        var template = new DiskTemplate("swap_32", 32L << 20, EphemeralTemplates.FormatSwap());
        var caches = new[] { new DiskTemplateCache(_sandbox.Settings), new DiskTemplateCache(_sandbox.Settings) };

        await Task.WhenAll(caches.Select(cache => Task.Run(async () =>
        {
            using var lease = await cache.AcquireAsync(template, Ct);
        }, Ct)));

        BaseEntries().ShouldBe(["swap_32"]);
        (await BlkidAsync(Path.Join(_sandbox.Settings.BaseDirectory, "swap_32")))["TYPE"].ShouldBe("swap");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_flavor_with_ephemeral_and_swap_gets_qcow2_overlays_on_its_templates_after_the_root_disk()
    {
        var image = await ImportRawAsync();
        var flavor = new Flavor("e1", "m1.eph", 1, 128, 1, 1, 64, Flavor.NoExtraSpecs);

        var layout = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, flavor, null, Ct);

        var local = Path.Join(layout.InstanceDirectory, "disk.local");
        var swap = Path.Join(layout.InstanceDirectory, "disk.swap");
        layout.Disks.ShouldBe(
        [
            GuestDisk.File(DiskRole.Root, Path.Join(layout.InstanceDirectory, "disk"), DiskFormat.Qcow2),
            GuestDisk.File(DiskRole.Ephemeral, local, DiskFormat.Qcow2),
            GuestDisk.File(DiskRole.Swap, swap, DiskFormat.Qcow2),
        ]);
        var localInfo = await _sandbox.QemuImg.InfoAsync(local, DiskFormat.Qcow2, cancellationToken: Ct);
        localInfo.BackingFilename.ShouldBe(Path.Join(_sandbox.Settings.BaseDirectory, "ephemeral_1_40d1d2c"));
        localInfo.BackingFilenameFormat.ShouldBe("raw");
        localInfo.VirtualSizeBytes.ShouldBe(GiB);
        var swapInfo = await _sandbox.QemuImg.InfoAsync(swap, DiskFormat.Qcow2, cancellationToken: Ct);
        swapInfo.BackingFilename.ShouldBe(Path.Join(_sandbox.Settings.BaseDirectory, "swap_64"));
        swapInfo.BackingFilenameFormat.ShouldBe("raw");
        swapInfo.VirtualSizeBytes.ShouldBe(64L << 20);
        (await BlkidAsync(localInfo.BackingFilename!))["LABEL"].ShouldBe("ephemeral0");
        var diskInfo = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(Path.Join(layout.InstanceDirectory, "disk.info"), Ct));
        diskInfo.ShouldBe(new Dictionary<string, string> { [layout.Disks[0].FilePath()] = "qcow2", [local] = "qcow2", [swap] = "qcow2" }, ignoreOrder: true);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_second_instance_reuses_the_templates_and_sizes_of_zero_make_no_disks()
    {
        var image = await ImportRawAsync();
        var first = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, new Flavor("e1", "m1.eph", 1, 128, 1, 1, 64, Flavor.NoExtraSpecs), null, Ct);
        var template = Path.Join(_sandbox.Settings.BaseDirectory, "ephemeral_1_40d1d2c");
        var madeAt = File.GetLastWriteTimeUtc(template);
        var inode = await BlkidAsync(template);

        await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, new Flavor("e2", "m1.eph2", 1, 128, 1, 1, 64, Flavor.NoExtraSpecs), null, Ct);
        var plain = await _sandbox.Disks.CreateRootDiskAsync(NewInstance(image), image, new Flavor("p", "m1.plain", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs), null, Ct);

        (await BlkidAsync(template))["UUID"].ShouldBe(inode["UUID"], "the template is not made again");
        File.GetLastWriteTimeUtc(template).ShouldBeGreaterThanOrEqualTo(madeAt);
        plain.Disks.ShouldHaveSingleItem().Role.ShouldBe(DiskRole.Root);
        first.Disks.Count.ShouldBe(3);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_failure_after_the_ephemeral_disk_removes_it_and_the_instance_directory_but_not_the_template()
    {
        var image = await ImportRawAsync();
        // A directory where the swap template goes: its rename fails after disk.local is made.
        Directory.CreateDirectory(Path.Join(_sandbox.Settings.BaseDirectory, "swap_64", "blocker"));
        var instance = NewInstance(image);

        await Should.ThrowAsync<Exception>(() => _sandbox.Disks.CreateRootDiskAsync(instance, image, new Flavor("e1", "m1.eph", 1, 128, 1, 1, 64, Flavor.NoExtraSpecs), null, Ct));

        Directory.Exists(Path.Join(_sandbox.Settings.InstancesPath, instance.Id.ToString("D"))).ShouldBeFalse();
        File.Exists(Path.Join(_sandbox.Settings.BaseDirectory, "ephemeral_1_40d1d2c")).ShouldBeTrue();
        BaseEntries().ShouldNotContain(name => name.EndsWith(".part", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_file_system_Vireo_cannot_make_fails_before_any_file_is_made()
    {
        using var sandbox = new StorageSandbox(settings => settings with { DefaultEphemeralFormat = "btrfs" });
        var raw = Tool.MakeRaw(sandbox.ScratchPath("r.raw"), 1 << 20);
        var image = await sandbox.ImportFileAsync(raw, DiskFormat.Raw, "raw-image");
        var instance = NewInstance(image);

        var error = await Should.ThrowAsync<VireoException>(() => sandbox.Disks.CreateRootDiskAsync(instance, image, new Flavor("e1", "m1.eph", 1, 128, 1, 1, 0, Flavor.NoExtraSpecs), null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("default_ephemeral_format");
        Directory.Exists(Path.Join(sandbox.Settings.InstancesPath, instance.Id.ToString("D"))).ShouldBeFalse();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_template_larger_than_the_file_system_allows_is_a_failure_naming_it_and_leaves_nothing()
    {
        // 1 PiB: more than ext4 (16 TiB) allows in one file; skipped where the temporary directory's file system takes it.
        const long size = 1L << 50;
        var probe = _sandbox.ScratchPath("probe");
        using (var file = File.Create(probe))
        {
            try
            {
                file.SetLength(size);
                Assert.Skip("the temporary directory's file system takes a 1 PiB file");
            }
            catch (Exception exception) when (exception is IOException or ArgumentOutOfRangeException)
            {
                // As wanted: too large here.
            }
        }

        var cache = new DiskTemplateCache(_sandbox.Settings);
        var template = new DiskTemplate("swap_1073741824", size, EphemeralTemplates.FormatSwap());

        var error = await Should.ThrowAsync<VireoException>(() => cache.AcquireAsync(template, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain("swap_1073741824");
        error.Message.ShouldContain("smaller ephemeral disk or swap");
        BaseEntries().ShouldBeEmpty();
    }

    private IReadOnlyList<string> BaseEntries() =>
        [.. Directory.EnumerateFileSystemEntries(_sandbox.Settings.BaseDirectory).Select(Path.GetFileName).OfType<string>().Where(n => !IsImageBase(n)).Order(StringComparer.Ordinal)];

    private static bool IsImageBase(string name) => name.Length == 40 && name.All(char.IsAsciiHexDigitLower);

    private async Task<ImageRecord> ImportRawAsync()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath($"{Guid.NewGuid():N}.raw"), 1 << 20);
        return await _sandbox.ImportFileAsync(raw, DiskFormat.Raw, "raw-image");
    }

    private static Instance NewInstance(ImageRecord image)
    {
        var now = DateTimeOffset.UtcNow;
        return new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);
    }

    /// <summary><c>blkid -p -o export</c>: what the content says it is, read without any cache.</summary>
    private static async Task<Dictionary<string, string>> BlkidAsync(string path)
    {
        var startInfo = new ProcessStartInfo("/usr/sbin/blkid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", "-o", "export", path })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        process.ExitCode.ShouldBe(0, $"blkid -p {path}: {await process.StandardError.ReadToEndAsync(Ct)}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }
}

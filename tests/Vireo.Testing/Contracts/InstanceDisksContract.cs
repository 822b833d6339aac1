using Shouldly;
using Vireo.Core.Ports;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What callers of <see cref="IInstanceDisks"/> rely on for the operations the fake models, asserted
/// the same way for the fake and for Storage's InstanceDisks on a temporary directory, once per file
/// image backend (qcow2, flat): the layout (one root disk in a file of the backend's format and the
/// console log inside the instance directory), the owner the listing
/// reports, delete idempotent, the disks outside the directory (none with a file backend; gone with
/// the files; their removal idempotent), and the console tail (blank lines kept, every line ending in LF, no
/// log before it is written or after the directory is gone).
/// </summary>
public abstract class InstanceDisksContract
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 7, 8, 9, 10, TimeSpan.Zero);

    protected abstract IInstanceDisks Disks { get; }

    /// <summary>The root disk's format the implementation's image backend promises: qcow2 (overlay) or raw (flat copy).</summary>
    protected virtual DiskFormat RootFormat => DiskFormat.Qcow2;

    /// <summary>The installation and host the implementation writes into the owner files it makes.</summary>
    protected abstract (string InstallationId, string Host) Owner { get; }

    /// <summary>An image the implementation can make a root disk from.</summary>
    protected abstract Task<ImageRecord> AnImageAsync();

    /// <summary>Writes the guest's serial console log, as QEMU would.</summary>
    protected abstract Task WriteConsoleLogAsync(Guid instanceId, DiskLayout layout, string text);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Flavor Tiny { get; } = new("1", "m1.tiny", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs);

    private static Instance AnInstance(ImageRecord image) =>
        new(Guid.NewGuid(), "web1", image.Id, Tiny.Id, VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "compute1", T0, T0);

    private async Task<(Instance Instance, DiskLayout Layout)> CreateAsync()
    {
        var image = await AnImageAsync();
        var instance = AnInstance(image);
        return (instance, await Disks.CreateRootDiskAsync(instance, image, Tiny, null, Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_root_disk_is_one_file_of_the_backends_format_inside_the_instance_directory_with_the_console_log_beside_it()
    {
        var (instance, layout) = await CreateAsync();

        layout.InstanceDirectory.ShouldEndWith(instance.Id.ToString("D"));
        var root = layout.Disks.ShouldHaveSingleItem();
        root.Role.ShouldBe(DiskRole.Root);
        root.Format.ShouldBe(RootFormat);
        root.IsCdrom.ShouldBeFalse();
        root.Source.ShouldBeOfType<DiskSource.File>().Path.ShouldStartWith(layout.InstanceDirectory + "/");
        layout.ConsoleLog.ShouldBe(layout.InstanceDirectory + "/console.log");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_flavor_with_ephemeral_and_swap_gets_them_after_the_root_disk_in_the_root_disks_format_in_the_instance_directory()
    {
        var image = await AnImageAsync();
        var instance = AnInstance(image);
        var flavor = Tiny with { Id = "eph", Name = "m1.eph", EphemeralGiB = 1, SwapMiB = 64 };

        var layout = await Disks.CreateRootDiskAsync(instance, image, flavor, null, Ct);

        layout.Disks.Select(d => d.Role).ShouldBe([DiskRole.Root, DiskRole.Ephemeral, DiskRole.Swap]);
        // The backend that made the root disk makes them: qcow2 overlays of the templates, or flat's raw copies.
        layout.Disks.Select(d => d.Format).ShouldBe([RootFormat, RootFormat, RootFormat]);
        layout.Disks.ShouldAllBe(d => !d.IsCdrom);
        layout.Disks.Select(d => d.FilePath()).ShouldBe([layout.InstanceDirectory + "/disk", layout.InstanceDirectory + "/disk.local", layout.InstanceDirectory + "/disk.swap"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_listing_reports_the_directory_with_this_installation_as_its_owner()
    {
        var (instance, layout) = await CreateAsync();

        var entry = (await Disks.ListInstanceDirectoriesAsync(Ct)).ShouldHaveSingleItem();

        entry.InstanceId.ShouldBe(instance.Id);
        entry.Path.ShouldBe(layout.InstanceDirectory);
        entry.Owner.ShouldNotBeNull();
        entry.Owner.Is(Owner.InstallationId, Owner.Host, instance.Id).ShouldBeTrue($"owner {entry.Owner}");
    }

    [Fact(Timeout = 120_000)]
    public async Task Deleting_the_files_removes_the_directory_and_is_idempotent()
    {
        var (instance, _) = await CreateAsync();

        await Disks.DeleteInstanceFilesAsync(instance.Id, Ct);

        (await Disks.ListInstanceDirectoriesAsync(Ct)).ShouldBeEmpty();
        await Disks.DeleteInstanceFilesAsync(instance.Id, Ct);
        await Disks.DeleteInstanceFilesAsync(Guid.NewGuid(), Ct);
    }

    [Fact(Timeout = 120_000)]
    public async Task Outside_disks_are_exactly_the_layouts_disks_that_are_not_files_and_go_with_the_files()
    {
        var (instance, layout) = await CreateAsync();
        var other = await CreateAsync();

        var outside = (await Disks.ListOutsideDisksAsync(Ct)).Where(disk => disk.InstanceId == instance.Id).ToList();
        outside.Count.ShouldBe(layout.Disks.Count(disk => disk.Source is not DiskSource.File));
        outside.ShouldAllBe(disk => disk.Name.Contains(instance.Id.ToString("D") + "_", StringComparison.Ordinal));

        await Disks.DeleteInstanceFilesAsync(instance.Id, Ct);

        (await Disks.ListOutsideDisksAsync(Ct)).ShouldNotContain(disk => disk.InstanceId == instance.Id);
        (await Disks.ListInstanceDirectoriesAsync(Ct)).ShouldHaveSingleItem().InstanceId.ShouldBe(other.Instance.Id);
        await Disks.RemoveOutsideDisksAsync(instance.Id, Ct);
        await Disks.RemoveOutsideDisksAsync(Guid.NewGuid(), Ct);
        (await Disks.ListInstanceDirectoriesAsync(Ct)).ShouldHaveSingleItem().InstanceId.ShouldBe(other.Instance.Id, "removing outside disks leaves directories alone");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_console_tail_keeps_blank_lines_and_ends_every_line()
    {
        var (instance, layout) = await CreateAsync();
        (await Disks.ReadConsoleLogTailAsync(instance.Id, null, Ct)).ShouldBeNull("nothing written yet");

        await WriteConsoleLogAsync(instance.Id, layout, "one\r\n\nthree\nfour");

        (await Disks.ReadConsoleLogTailAsync(instance.Id, null, Ct)).ShouldBe("one\n\nthree\nfour");
        (await Disks.ReadConsoleLogTailAsync(instance.Id, 3, Ct)).ShouldBe("\nthree\nfour\n");
        (await Disks.ReadConsoleLogTailAsync(instance.Id, 10, Ct)).ShouldBe("one\n\nthree\nfour\n");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_console_log_goes_with_the_instance_directory()
    {
        var (instance, layout) = await CreateAsync();
        await WriteConsoleLogAsync(instance.Id, layout, "boot\n");

        await Disks.DeleteInstanceFilesAsync(instance.Id, Ct);

        (await Disks.ReadConsoleLogTailAsync(instance.Id, 5, Ct)).ShouldBeNull();
        (await Disks.ReadConsoleLogTailAsync(Guid.NewGuid(), 5, Ct)).ShouldBeNull();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_stopped_guests_root_disk_exports_to_the_snapshot_file_which_reads_back_and_is_removed()
    {
        var (instance, layout) = await CreateAsync();
        var imageId = Guid.NewGuid();
        var path = Disks.SnapshotFilePath(instance.Id, imageId);
        path.ShouldStartWith(layout.InstanceDirectory + "/");
        (await KindOf(() => Disks.OpenSnapshotFileAsync(path, Ct))).ShouldBe(ErrorKind.NotFound, "nothing is there before the export");

        await Disks.ExportRootDiskAsync(instance.Id, imageId, path, DiskFormat.Qcow2, Ct);

        await using (var content = await Disks.OpenSnapshotFileAsync(path, Ct))
        {
            content.ReadByte().ShouldNotBe(-1, "the copy has content");
        }

        await Disks.RemoveSnapshotFileAsync(path, Ct);
        await Disks.RemoveSnapshotFileAsync(path, Ct);
        (await KindOf(() => Disks.OpenSnapshotFileAsync(path, Ct))).ShouldBe(ErrorKind.NotFound);
        (await KindOf(() => Disks.ExportRootDiskAsync(Guid.NewGuid(), imageId, path, DiskFormat.Qcow2, Ct))).ShouldBe(ErrorKind.NotFound, "an instance without directory has no disk");
        Disks.RunningRootDiskCopy.ShouldBe(RunningDiskCopy.ByHypervisor, "the file backends copy a running guest's disk live");
    }

    private static async Task<ErrorKind?> KindOf(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (VireoException e)
        {
            return e.Kind;
        }
    }
}

using Microsoft.Extensions.Time.Testing;
using Vireo.Core;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Storage.Cache;
using Vireo.Storage.Disks;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>The cache manager over real files: bases filled by real creates, real qcow2 overlays, the store's rows.</summary>
public sealed class ImageCacheManagerTests : IDisposable
{
    private readonly StorageSandbox _sandbox = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow + TimeSpan.FromDays(2));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InMemoryStore Store => (InMemoryStore)_sandbox.Registry;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_pass_removes_the_unused_old_base_and_keeps_the_used_one_the_fill_in_progress_and_unknown_files()
    {
        var (used, usedBase) = await CreateAsync("used");
        var (_, unusedBase) = await CreateAsync("unused", keepInstance: false);
        var part = Path.Join(_sandbox.Settings.BaseDirectory, $".{new string('a', 40)}.{Guid.NewGuid():N}.part");
        var unknown = Path.Join(_sandbox.Settings.BaseDirectory, "notes.txt");
        await File.WriteAllTextAsync(part, "filling", Ct);
        await File.WriteAllTextAsync(unknown, "someone's", Ct);
        File.SetLastWriteTimeUtc(unknown, DateTime.UtcNow - TimeSpan.FromDays(400));
        var manager = Manager();

        var before = await manager.InspectAsync(Ct);
        var removed = await manager.RunPassAsync(Ct);

        Action(before, usedBase).ShouldBe(CacheAction.InUse);
        before.Entries.Single(e => e.Name == Path.GetFileName(usedBase)).Users.ShouldBe(
            [$"directory {used.Id:D}: disk", $"instance {used.Id:D}"]);
        before.Entries.Single(e => e.Name == Path.GetFileName(usedBase)).Image!.Name.ShouldBe("used");
        Action(before, unusedBase).ShouldBe(CacheAction.Remove);
        Action(before, part).ShouldBe(CacheAction.Filling);
        Action(before, unknown).ShouldBe(CacheAction.Unknown);
        removed.Select(r => r.Name).ShouldBe([Path.GetFileName(unusedBase)]);
        File.Exists(unusedBase).ShouldBeFalse();
        File.Exists(usedBase).ShouldBeTrue();
        File.Exists(part).ShouldBeTrue();
        File.Exists(unknown).ShouldBeTrue();
        (await manager.RunPassAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_quarantined_orphan_and_a_directory_of_another_host_keep_their_bases()
    {
        var (orphan, orphanBase) = await CreateAsync("orphan", keepInstance: false, keepDirectory: true);
        var (other, otherBase) = await CreateAsync("other", keepInstance: false, keepDirectory: true);
        var otherOwner = Path.Join(_sandbox.Disks.InstanceDirectory(other.Id), InstanceFiles.Owner);
        File.Delete(otherOwner);
        await File.WriteAllTextAsync(otherOwner,
            $$"""{"installation_id":"{{StorageSandbox.InstallationId}}","host":"compute2","instance_id":"{{other.Id:D}}","created_at":"2026-01-01T00:00:00Z"}""", Ct);

        var report = await Manager().InspectAsync(Ct);

        var orphanEntry = report.Entries.Single(e => e.Name == Path.GetFileName(orphanBase));
        orphanEntry.Action.ShouldBe(CacheAction.InUse);
        orphanEntry.Users.ShouldBe([$"directory {orphan.Id:D} (quarantined orphan): disk"]);
        report.Entries.Single(e => e.Name == Path.GetFileName(otherBase)).Users.ShouldBe([$"directory {other.Id:D} of host compute2: disk"]);
        (await Manager().RunPassAsync(Ct)).ShouldBeEmpty();
        File.Exists(orphanBase).ShouldBeTrue();
    }

    [Fact]
    public async Task A_directory_whose_name_starts_like_the_base_directory_is_still_read()
    {
        var (instance, usedBase) = await CreateAsync("prefix", keepInstance: false, keepDirectory: true);
        var renamed = Path.Join(_sandbox.Settings.InstancesPath, "_ba");
        Directory.Move(_sandbox.Disks.InstanceDirectory(instance.Id), renamed);

        var entry = (await Manager().InspectAsync(Ct)).Entries.Single(e => e.Name == Path.GetFileName(usedBase));

        entry.Action.ShouldBe(CacheAction.InUse);
        entry.Users.ShouldBe(["directory _ba (quarantined orphan): disk"]);
    }

    [Fact]
    public async Task A_base_a_create_holds_is_not_removed_until_it_lets_go()
    {
        var image = await ImportAsync("held");
        var bases = new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg);
        var manager = Manager(bases);
        var lease = await bases.AcquireAsync(image, Ct);

        (await manager.InspectAsync(Ct)).Entries.Single().Action.ShouldBe(CacheAction.Keep);
        (await manager.RunPassAsync(Ct)).ShouldBeEmpty();
        File.Exists(lease.Path).ShouldBeTrue();

        lease.Dispose();
        (await manager.RunPassAsync(Ct)).Single().Name.ShouldBe(Path.GetFileName(lease.Path));
        File.Exists(lease.Path).ShouldBeFalse();
    }

    [Fact]
    public async Task Nothing_is_removed_with_remove_unused_base_images_off_or_before_the_minimum_age()
    {
        var (_, unusedBase) = await CreateAsync("unused", keepInstance: false);

        (await Manager(rules: ImageCacheRules.Default with { RemoveUnused = false }).RunPassAsync(Ct)).ShouldBeEmpty();
        (await Manager(rules: ImageCacheRules.Default with { OriginalMinimumAge = TimeSpan.FromDays(3) }).RunPassAsync(Ct)).ShouldBeEmpty();

        File.Exists(unusedBase).ShouldBeTrue();
    }

    [Fact]
    public async Task The_backing_name_is_read_from_the_qcow2_header_and_a_raw_file_names_none()
    {
        var (instance, usedBase) = await CreateAsync("header");
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("plain.raw"), 1 << 16);

        Qcow2BackingName.Read(Path.Join(_sandbox.Disks.InstanceDirectory(instance.Id), InstanceFiles.RootDisk)).ShouldBe(usedBase);
        Qcow2BackingName.Read(raw).ShouldBeNull();
        Qcow2BackingName.Read(usedBase).ShouldBeNull();
    }

    [Fact]
    public async Task A_socket_or_fifo_in_an_instance_directory_is_not_opened()
    {
        var (instance, usedBase) = await CreateAsync("socket");
        var directory = _sandbox.Disks.InstanceDirectory(instance.Id);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        // Bound at a short path (sun_path holds 108 bytes), then moved in beside the disk.
        var shortPath = Path.Join(Path.GetTempPath(), $"v{Guid.NewGuid():N}"[..12] + ".sock");
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(shortPath));
        File.Move(shortPath, Path.Join(directory, "qga.sock"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Join(directory, "serial.fifo")]))
        {
            await mkfifo.WaitForExitAsync(Ct);
            mkfifo.ExitCode.ShouldBe(0);
        }

        var report = await Manager().InspectAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);

        report.Entries.Single(e => e.Name == Path.GetFileName(usedBase)).Action.ShouldBe(CacheAction.InUse);
    }

    private static CacheAction Action(ImageCacheReport report, string path) => report.Entries.Single(e => e.Name == Path.GetFileName(path)).Action;

    private ImageCacheManager Manager(BaseImageCache? bases = null, ImageCacheRules? rules = null) =>
        new(_sandbox.Settings, bases ?? new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg), Store, _sandbox.Registry,
            rules ?? ImageCacheRules.Default, TimeSpan.FromSeconds(2400), _clock);

    private async Task<ImageRecord> ImportAsync(string name)
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath($"{Guid.NewGuid():N}.raw"), 1 << 20);
        return await _sandbox.ImportFileAsync(raw, DiskFormat.Raw, name);
    }

    /// <summary>An instance of a new image with its root disk; without its row (and directory) unless kept.</summary>
    private async Task<(Instance Instance, string BasePath)> CreateAsync(string name, bool keepInstance = true, bool keepDirectory = false)
    {
        var image = await ImportAsync(name);
        var now = DateTimeOffset.UtcNow;
        var instance = new Instance(Guid.NewGuid(), name, image.Id, "1", VmState.Active, null, PowerState.Running, null, StorageSandbox.HostName, now, now);
        await _sandbox.Disks.CreateRootDiskAsync(instance, image, new Flavor("1", "m1", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs), null, Ct);
        if (keepInstance)
        {
            await Store.AddAsync(instance, Ct);
        }
        else if (!keepDirectory)
        {
            await _sandbox.Disks.DeleteInstanceFilesAsync(instance.Id, Ct);
        }

        return (instance, Path.Join(_sandbox.Settings.BaseDirectory, BaseImageCache.CacheFileName(image.Id)));
    }
}

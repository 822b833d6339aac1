using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Qemu;
using Vireo.Storage.Rbd;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>
/// The rbd backend over the fake rbd (Vireo.Testing's FakeRbdTool, held to the rbd tool contract
/// like the real rbd), which keeps a pool's images and snapshots as files and logs every call, so
/// the order of import, snapshot, protect, rename, clone and resize, the undo of a failed step and
/// the removal of an instance's images are seen (the real cluster runs in
/// tests/Vireo.IntegrationTests/Ceph).
/// </summary>
public sealed class RbdBackendTests : IDisposable
{
    private static readonly Guid Secret = Guid.Parse("457eb676-33da-42ec-9a8c-9293d545c337");
    private static readonly Guid ImageId = Guid.Parse("0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11");
    private static readonly Guid InstanceId = Guid.Parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    private static readonly NetworkHost[] Monitors = [new("10.0.0.1", 6789), new("10.0.0.2", 6789)];

    private readonly StorageSandbox _sandbox = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-rbd-backend-");
    private readonly FakeRbdTool _rbd;
    private readonly string _pool;
    private readonly RbdBackend _backend;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RbdBackendTests()
    {
        _rbd = FakeRbdTool.In(_dir.FullName);
        _pool = _rbd.PoolDirectory;
        _backend = new RbdBackend(_rbd.Client(), _sandbox.QemuImg, new RbdBackendSettings(Monitors, Secret) { BaseWait = TimeSpan.FromSeconds(3), BasePoll = TimeSpan.FromMilliseconds(100) });
    }

    private string[] Calls => [.. _rbd.Calls];

    /// <summary>The pool as rbd names it: images and their snapshots (<c>image@snap</c>).</summary>
    private string[] PoolFiles => [.. _rbd.Contents];

    private RootDiskRequest Request(long? sizeBytes, Guid? instance = null)
    {
        var basePath = _sandbox.ScratchPath("base-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(basePath, new byte[1 << 20]);
        var info = new ImageInfo("raw", 1 << 20, null, null, null, null, null, null, null, "{}");
        var lease = new BaseImageLease(basePath, DiskFormat.Raw, info, new SemaphoreSlim(0, 1));
        var id = instance ?? InstanceId;
        return new RootDiskRequest(id, "vm", _sandbox.ScratchPath(id.ToString("N")), lease, sizeBytes, false) { ImageId = ImageId };
    }

    [Fact]
    public async Task The_base_is_imported_once_under_a_temporary_name_snapshotted_protected_renamed_and_cloned_per_instance()
    {
        var disk = await _backend.CreateRootDiskAsync(Request(sizeBytes: null), Ct);

        disk.Format.ShouldBe(DiskFormat.Raw);
        disk.Role.ShouldBe(DiskRole.Root);
        disk.Source.ShouldBe(new DiskSource.Rbd("vms", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", Monitors, "vireo", Secret));
        var calls = Calls;
        calls[0].ShouldBe("snap ls --format json vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11");
        calls[1].ShouldStartWith("import --no-progress --image-format 2 /");
        var temporary = calls[1].Split(' ')[^1];
        temporary.ShouldStartWith("vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11-importing-");
        calls[2..].ShouldBe([
            $"snap create --no-progress {temporary}@snap",
            $"snap protect {temporary}@snap",
            $"rename {temporary} vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11",
            "clone vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11@snap vms/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk"]);

        // A second instance of the same image only clones: no second import.
        var second = Guid.NewGuid();
        await _backend.CreateRootDiskAsync(Request(sizeBytes: null, second), Ct);
        Calls.Count(c => c.StartsWith("import", StringComparison.Ordinal)).ShouldBe(1);
        PoolFiles.ShouldBe(new[] { "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11", "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11@snap", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", second + "_disk" }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_qcow2_base_is_converted_to_raw_beside_the_instance_imported_as_those_bytes_and_the_copy_removed()
    {
        const int size = 3 << 20;
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("guest.raw"), size);
        var qcow2 = await Tool.MakeQcow2FromRawAsync(raw, _sandbox.ScratchPath("base.qcow2"));
        var info = new ImageInfo("qcow2", size, null, null, null, null, null, null, null, "{}");
        var instanceDirectory = Directory.CreateDirectory(_sandbox.ScratchPath(InstanceId.ToString("N"))).FullName;
        var request = new RootDiskRequest(InstanceId, "vm", instanceDirectory, new BaseImageLease(qcow2, DiskFormat.Qcow2, info, new SemaphoreSlim(0, 1)), null, false) { ImageId = ImageId };

        var disk = await _backend.CreateRootDiskAsync(request, Ct);

        disk.Format.ShouldBe(DiskFormat.Raw);
        var import = Calls.Single(c => c.StartsWith("import ", StringComparison.Ordinal)).Split(' ');
        import[..4].ShouldBe(["import", "--no-progress", "--image-format", "2"]);
        Path.GetDirectoryName(import[4]).ShouldBe(instanceDirectory);
        Path.GetFileName(import[4]).ShouldStartWith(".rbd-base.");
        import[4].ShouldEndWith(".raw");
        Tool.Sha256Of(Path.Join(_pool, "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11")).ShouldBe(Tool.Sha256Of(raw));
        new FileInfo(Path.Join(_pool, "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11")).Length.ShouldBe(size);
        Directory.GetFiles(instanceDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_raw_base_is_imported_as_it_is_without_a_copy()
    {
        var request = Request(sizeBytes: null);

        await _backend.CreateRootDiskAsync(request, Ct);

        Calls.Single(c => c.StartsWith("import ", StringComparison.Ordinal)).Split(' ')[4].ShouldBe(request.Base.Path);
    }

    [Fact]
    public async Task The_clone_is_grown_to_a_larger_flavor_root_disk_and_kept_at_the_base_size_otherwise()
    {
        await _backend.CreateRootDiskAsync(Request(sizeBytes: 2L << 30), Ct);
        Calls[^1].ShouldBe("resize --no-progress --size 2147483648B vms/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk");

        await _backend.CreateRootDiskAsync(Request(sizeBytes: 1 << 20, Guid.NewGuid()), Ct);
        Calls[^1].ShouldStartWith("clone ");
    }

    [Fact]
    public async Task A_failed_resize_removes_the_clone_and_keeps_the_base()
    {
        _rbd.Fail("resize");

        var failure = await Should.ThrowAsync<VireoException>(() => _backend.CreateRootDiskAsync(Request(sizeBytes: 2L << 30), Ct));

        failure.Kind.ShouldBe(ErrorKind.Failed);
        Calls[^1].ShouldBe("rm --no-progress vms/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk");
        PoolFiles.ShouldBe(["0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11", "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11@snap"]);
    }

    [Fact]
    public async Task A_failed_protect_undoes_the_half_made_base_and_nothing_is_cloned()
    {
        _rbd.Fail("snap protect");

        await Should.ThrowAsync<VireoException>(() => _backend.CreateRootDiskAsync(Request(sizeBytes: null), Ct));

        PoolFiles.ShouldBeEmpty();
        Calls.ShouldNotContain(c => c.StartsWith("clone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_base_another_creator_renamed_first_is_used_and_the_own_import_undone()
    {
        // The other creator's base appears between our look and our rename.
        var request = Request(sizeBytes: null);
        _rbd.BeforeCall("rename", "exists 0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11 || seed_base 0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11");

        var disk = await _backend.CreateRootDiskAsync(request, Ct);

        disk.Source.Describe().ShouldBe("rbd:vms/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk");
        PoolFiles.ShouldBe(["0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11", "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11@snap", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk"]);
        Calls.ShouldContain(c => c.StartsWith("snap unprotect vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11-importing-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_base_being_made_elsewhere_is_waited_for_until_its_snapshot_is_protected_and_then_a_deadline()
    {
        _rbd.SeedImage("0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11");

        var failure = await Should.ThrowAsync<VireoException>(() => _backend.CreateRootDiskAsync(Request(sizeBytes: null), Ct));

        failure.Kind.ShouldBe(ErrorKind.Unavailable);
        failure.Message.ShouldStartWith("the RBD base vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11 of image 0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11 has no protected snapshot 'snap' after 3 s");
        Calls.ShouldNotContain(c => c.StartsWith("import", StringComparison.Ordinal));

        _rbd.SeedSnapshot("0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11", "snap", isProtected: true);
        (await _backend.CreateRootDiskAsync(Request(sizeBytes: null), Ct)).Format.ShouldBe(DiskFormat.Raw);
        Calls.ShouldNotContain(c => c.StartsWith("import", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ephemeral_or_swap_template_is_imported_once_as_a_base_and_each_instance_gets_a_clone_named_as_Nova_does()
    {
        var template = _sandbox.ScratchPath("swap_64");
        File.WriteAllBytes(template, new byte[1 << 16]);
        var second = Guid.NewGuid();
        ExtraDiskRequest Swap(Guid instance) => new(instance, "vm", _sandbox.ScratchPath(instance.ToString("N")), DiskRole.Swap, "disk.swap", "swap_64", template, 64L << 20);

        var disk = await _backend.CreateExtraDiskAsync(Swap(InstanceId), Ct);
        await _backend.CreateExtraDiskAsync(Swap(second), Ct);

        disk.ShouldBe(new GuestDisk(DiskRole.Swap, new DiskSource.Rbd("vms", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk.swap", Monitors, "vireo", Secret), DiskFormat.Raw));
        Calls.Count(c => c.StartsWith("import", StringComparison.Ordinal)).ShouldBe(1);
        Calls.ShouldContain(c => c.StartsWith("import --no-progress --image-format 2 " + template + " vms/swap_64-importing-", StringComparison.Ordinal));
        Calls.ShouldContain("clone vms/swap_64@snap vms/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk.swap");
        Calls.ShouldContain($"clone vms/swap_64@snap vms/{second}_disk.swap");
        PoolFiles.ShouldBe(new[] { "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk.swap", second + "_disk.swap", "swap_64", "swap_64@snap" }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_base_held_by_the_cache_manager_is_not_cloned_until_it_is_let_go_and_a_create_holds_its_base()
    {
        var hold = _backend.TryHoldBase("0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11").ShouldNotBeNull();
        var create = _backend.CreateRootDiskAsync(Request(sizeBytes: null), Ct);
        await Task.Delay(300, Ct);
        create.IsCompleted.ShouldBeFalse("a create waits for the manager's hold on its base");
        Calls.ShouldBeEmpty();

        hold.Dispose();
        await create;
        Calls[^1].ShouldStartWith("clone vms/0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11@snap");
        _backend.TryHoldBase("0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11").ShouldNotBeNull().Dispose();
    }

    [Fact]
    public async Task Removing_an_instance_removes_each_of_its_images_and_nothing_else_and_is_idempotent()
    {
        foreach (var name in new[] { "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk.local", "2b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11" })
        {
            _rbd.SeedImage(name);
        }

        await _backend.RemoveDisksAsync(InstanceId, Ct);
        await _backend.RemoveDisksAsync(InstanceId, Ct);

        PoolFiles.ShouldBe(["0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11", "2b4e28ba-2fa1-11d2-883f-0016d3cca427_disk"]);
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _dir.Delete(recursive: true);
    }
}

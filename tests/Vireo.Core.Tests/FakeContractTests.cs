using Microsoft.Extensions.Time.Testing;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Testing.Contracts;

namespace Vireo.Core.Tests;

/// <summary>The fake hypervisor keeps the contract LibvirtHypervisor keeps (tests/Vireo.Virt.Tests/Integration/LibvirtHypervisorContractTests.cs).</summary>
public sealed class FakeHypervisorContractTests : HypervisorContract
{
    private readonly FakeHypervisor _hypervisor = new();

    protected override IHypervisor Hypervisor => _hypervisor;

    protected override GuestSpec NewSpec(string label)
    {
        var id = Guid.NewGuid();
        var directory = FakeDisks.DirectoryOf(id);
        return new GuestSpec(id, "test-" + label, FakeHost.Tiny, FakeHost.Cirros,
            new DiskLayout(directory, [GuestDisk.File(DiskRole.Root, directory + "/disk", DiskFormat.Qcow2)], directory + "/console.log"));
    }

    protected override bool CopyExists(string path) => _hypervisor.SnapshotFiles.Read(path) is not null;

    protected override ValueTask RemoveGuestAsync(Guid instanceId)
    {
        if (_hypervisor.Guests.ContainsKey(instanceId))
        {
            _hypervisor.ChangeBehindOurBack(instanceId, power: null);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>The fake disks keep the contract Storage's InstanceDisks keeps (tests/Vireo.Storage.Tests/InstanceDisksContractTests.cs).</summary>
public sealed class FakeDisksContractTests : InstanceDisksContract
{
    private readonly FakeDisks _disks = new();

    protected override IInstanceDisks Disks => _disks;

    protected override (string InstallationId, string Host) Owner => (FakeDisks.InstallationId, _disks.Host);

    protected override Task<ImageRecord> AnImageAsync() => Task.FromResult(FakeHost.Cirros);

    protected override Task WriteConsoleLogAsync(Guid instanceId, DiskLayout layout, string text)
    {
        _disks.ConsoleLogs.Write(instanceId, text);
        return Task.CompletedTask;
    }
}

/// <summary>The in-memory store keeps the contract the SQLite store keeps (tests/Vireo.State.Tests/SqliteStoreContractTests.cs).</summary>
public sealed class InMemoryStoreContractTests : StoreContract
{
    private readonly InMemoryStore _store = new();

    protected override IInstanceStore Instances => _store;

    protected override IFlavorStore Flavors => _store;

    protected override IImageRegistry Images => _store;
}

/// <summary>The fake image store keeps the contract Storage's FileImageStore keeps (tests/Vireo.Storage.Tests/ImageStoreContractTests.cs).</summary>
public sealed class FakeImageStoreContractTests : ImageStoreContract
{
    private readonly FakeImageStore _store = new();

    protected override IImageStore Store => _store;

    protected override IImageCatalog Catalog => _store;
}

/// <summary>The fake image cache manager keeps the contract Storage's ImageCacheManager keeps (tests/Vireo.Storage.Tests/ImageCacheManagerContractTests.cs).</summary>
public class FakeImageCacheManagerContractTests : ImageCacheManagerContract
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly FakeImageCacheManager _manager = new();

    public FakeImageCacheManagerContractTests() => _manager.Time = _clock;

    /// <summary>The fake under the contract (ContractsCatchWrongFakesTests puts a wrong setting back into it).</summary>
    protected FakeImageCacheManager Fake => _manager;

    protected override DateTimeOffset Now => _clock.GetUtcNow();

    protected override IImageCacheManager Manager(ImageCacheRules rules)
    {
        _manager.Rules = rules;
        _manager.Interval = Interval;
        return _manager;
    }

    protected override void Advance(TimeSpan by) => _clock.Advance(by);

    protected override Task<(string Name, Guid ImageId)> AddBaseAsync(string imageName, TimeSpan unusedFor)
    {
        var id = Guid.NewGuid();
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(id.ToString("D"))));
        _manager.Facts = _manager.Facts with
        {
            Files = [.. _manager.Facts.Files, new CachedFile(name, 1 << 20, Now - unusedFor)],
            Images = new Dictionary<string, CachedImage>(_manager.Facts.Images) { [name] = new CachedImage(id, imageName) },
        };
        return Task.FromResult((name, id));
    }

    protected override Task<Guid> AddInstanceAsync(string baseName)
    {
        var id = Guid.NewGuid();
        AddUsers(new CacheUser(baseName, $"instance {id:D}"), new CacheUser(baseName, $"directory {id:D}: disk"));
        return Task.FromResult(id);
    }

    protected override Task<Guid> AddOrphanDirectoryAsync(string baseName)
    {
        var id = Guid.NewGuid();
        AddUsers(new CacheUser(baseName, $"directory {id:D} (quarantined orphan): disk"));
        return Task.FromResult(id);
    }

    protected override Task RemoveInstanceAsync(Guid instanceId)
    {
        _manager.Facts = _manager.Facts with { Users = [.. _manager.Facts.Users.Where(user => !user.Who.Contains(instanceId.ToString("D"), StringComparison.Ordinal))] };
        return Task.CompletedTask;
    }

    protected override Task AddFileAsync(string name, TimeSpan unusedFor)
    {
        _manager.Facts = _manager.Facts with { Files = [.. _manager.Facts.Files, new CachedFile(name, 7, Now - unusedFor)] };
        return Task.CompletedTask;
    }

    private void AddUsers(params CacheUser[] users) => _manager.Facts = _manager.Facts with { Users = [.. _manager.Facts.Users, .. users] };
}

using Microsoft.Extensions.Time.Testing;
using Vireo.Core;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Storage.Cache;
using Vireo.Storage.Disks;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Contracts;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>
/// Storage's ImageCacheManager on a temporary state_path (bases filled by the real base cache, root
/// disks made by the real InstanceDisks, rows in the in-memory store) keeps the contract the fake
/// image cache manager is held to (tests/Vireo.Core.Tests/FakeContractTests.cs).
/// </summary>
public sealed class ImageCacheManagerContractTests : ImageCacheManagerContract, IDisposable
{
    private readonly StorageSandbox _sandbox = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly Dictionary<string, (ImageRecord Image, TimeSpan UnusedFor)> _bases = new(StringComparer.Ordinal);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InMemoryStore Store => (InMemoryStore)_sandbox.Registry;

    public void Dispose() => _sandbox.Dispose();

    protected override DateTimeOffset Now => _clock.GetUtcNow();

    protected override IImageCacheManager Manager(ImageCacheRules rules) =>
        new ImageCacheManager(_sandbox.Settings, new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg), Store, _sandbox.Registry,
            rules, Interval, _clock);

    protected override void Advance(TimeSpan by) => _clock.Advance(by);

    protected override async Task<(string Name, Guid ImageId)> AddBaseAsync(string imageName, TimeSpan unusedFor)
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath($"{Guid.NewGuid():N}.raw"), 1 << 20);
        var image = await _sandbox.ImportFileAsync(raw, DiskFormat.Raw, imageName);
        using (await new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg).AcquireAsync(image, Ct))
        {
        }

        var name = BaseImageCache.CacheFileName(image.Id);
        _bases[name] = (image, unusedFor);
        Age(name);
        return (name, image.Id);
    }

    protected override async Task<Guid> AddInstanceAsync(string baseName)
    {
        var instance = await CreateDiskAsync(baseName);
        await Store.AddAsync(instance, Ct);
        return instance.Id;
    }

    protected override async Task<Guid> AddOrphanDirectoryAsync(string baseName) => (await CreateDiskAsync(baseName)).Id;

    protected override async Task RemoveInstanceAsync(Guid instanceId)
    {
        var instance = await Store.GetAsync(instanceId, Ct) ?? throw new InvalidOperationException($"no instance {instanceId}");
        await Store.UpdateAsync(instance with { VmState = VmState.Deleted, TaskState = null }, Ct);
        await _sandbox.Disks.DeleteInstanceFilesAsync(instanceId, Ct);
    }

    protected override async Task AddFileAsync(string name, TimeSpan unusedFor)
    {
        var path = Path.Join(_sandbox.Settings.BaseDirectory, name);
        Directory.CreateDirectory(_sandbox.Settings.BaseDirectory);
        await File.WriteAllTextAsync(path, "someone's", Ct);
        SetTimes(path, unusedFor);
    }

    private async Task<Instance> CreateDiskAsync(string baseName)
    {
        var image = _bases[baseName].Image;
        var now = DateTimeOffset.UtcNow;
        var instance = new Instance(Guid.NewGuid(), "contract", image.Id, "1", VmState.Active, null, PowerState.Running, null, StorageSandbox.HostName, now, now);
        await _sandbox.Disks.CreateRootDiskAsync(instance, image, new Flavor("1", "m1", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs), null, Ct);
        Age(baseName);
        return instance;
    }

    /// <summary>A create leases (touches) the base: set its times back to the age the test arranged.</summary>
    private void Age(string baseName) => SetTimes(Path.Join(_sandbox.Settings.BaseDirectory, baseName), _bases[baseName].UnusedFor);

    private void SetTimes(string path, TimeSpan unusedFor)
    {
        var at = (Now - unusedFor).UtcDateTime;
        File.SetLastAccessTimeUtc(path, at);
        File.SetLastWriteTimeUtc(path, at);
    }
}

using Vireo.Storage.Tests.TestSupport;

namespace Vireo.Storage.Tests;

public sealed class StorageLeftoversTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly StorageSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Partial_imports_go_and_stale_base_parts_go_but_fresh_parts_images_and_bases_stay()
    {
        var images = Directory.CreateDirectory(_sandbox.Settings.ImagesDirectory).FullName;
        var bases = Directory.CreateDirectory(_sandbox.Settings.BaseDirectory).FullName;
        var partialImport = Touch(Path.Join(images, ".partial-" + Guid.NewGuid()), Now);
        var image = Touch(Path.Join(images, Guid.NewGuid().ToString("D")), Now - TimeSpan.FromDays(3));
        var staleCopy = Touch(Path.Join(bases, ".0123abcd.5f3c8e4a2b1d4c6e9a7f0d1e2f3a4b5c.part"), Now - TimeSpan.FromMinutes(11));
        var staleConversion = Touch(Path.Join(bases, ".0123abcd.5f3c8e4a2b1d4c6e9a7f0d1e2f3a4b5c.raw.part"), Now - TimeSpan.FromHours(2));
        var freshPart = Touch(Path.Join(bases, ".4567ef01.00000000000000000000000000000000.raw.part"), Now - TimeSpan.FromMinutes(1));
        var baseFile = Touch(Path.Join(bases, "0123abcd0123abcd0123abcd0123abcd0123abcd"), Now - TimeSpan.FromDays(30));

        var removed = StorageLeftovers.Remove(_sandbox.Settings, Now, StorageLeftovers.DefaultStaleAfter);

        removed.ShouldBe([partialImport, staleCopy, staleConversion], ignoreOrder: true);
        File.Exists(image).ShouldBeTrue();
        File.Exists(freshPart).ShouldBeTrue();
        File.Exists(baseFile).ShouldBeTrue();
    }

    [Fact]
    public void Stale_snapshot_copies_in_instance_directories_go_but_fresh_ones_and_the_disks_stay()
    {
        var instance = Directory.CreateDirectory(Path.Join(_sandbox.Settings.InstancesPath, Guid.NewGuid().ToString("D"))).FullName;
        var stale = Touch(Path.Join(instance, $"snapshot-{Guid.NewGuid():D}.part"), Now - TimeSpan.FromMinutes(11));
        var staleRaw = Touch(Path.Join(instance, $"snapshot-{Guid.NewGuid():D}.part.raw"), Now - TimeSpan.FromHours(1));
        var fresh = Touch(Path.Join(instance, $"snapshot-{Guid.NewGuid():D}.part"), Now - TimeSpan.FromMinutes(1));
        var disk = Touch(Path.Join(instance, "disk"), Now - TimeSpan.FromDays(1));

        var removed = StorageLeftovers.Remove(_sandbox.Settings, Now, StorageLeftovers.DefaultStaleAfter);

        removed.ShouldBe([stale, staleRaw], ignoreOrder: true);
        File.Exists(fresh).ShouldBeTrue("a snapshot may be running on another host sharing instances_path");
        File.Exists(disk).ShouldBeTrue();
    }

    [Fact]
    public void Missing_directories_are_nothing_to_clean()
    {
        StorageLeftovers.Remove(_sandbox.Settings, Now, StorageLeftovers.DefaultStaleAfter).ShouldBeEmpty();
    }

    private static string Touch(string path, DateTimeOffset lastWrite)
    {
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, lastWrite.UtcDateTime);
        return path;
    }
}

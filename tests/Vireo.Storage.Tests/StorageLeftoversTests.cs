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

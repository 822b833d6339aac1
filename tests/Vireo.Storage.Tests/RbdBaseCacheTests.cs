using Microsoft.Extensions.Time.Testing;
using Vireo.Core;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Storage.Cache;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Rbd;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>
/// RBD bases as cache entries, over the fake rbd (Vireo.Testing's FakeRbdTool, held to the rbd tool
/// contract like the real rbd) that keeps a pool as files (an image, its snapshot's state, its
/// clones, its ctime creation stamp) and logs every call: the report, and a pass that
/// removes only an old base without clones, in the order unprotect, snap rm, rm.
/// </summary>
public sealed class RbdBaseCacheTests : IDisposable
{
    private const string Image = "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11";
    private const string Used = "7a1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 20, 0, 0, TimeSpan.Zero);

    private readonly StorageSandbox _sandbox = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-rbd-cache-");
    private readonly FakeRbdTool _rbd;
    private readonly string _pool;
    private readonly RbdBackend _backend;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RbdBaseCacheTests()
    {
        _rbd = FakeRbdTool.In(_dir.FullName);
        _pool = _rbd.PoolDirectory;
        _backend = new RbdBackend(_rbd.Client(), _sandbox.QemuImg, new RbdBackendSettings([new NetworkHost("10.0.0.1", 6789)], Guid.NewGuid()));
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _dir.Delete(recursive: true);
    }

    private string[] Calls => [.. _rbd.Calls];

    /// <summary>A base in the fake pool: created <paramref name="age"/> before <see cref="Now"/> (ctime text, UTC), its snapshot protected or not, its clones.</summary>
    private void Base(string name, TimeSpan age, bool isProtected = true, params string[] children) =>
        _rbd.SeedBase(name, Now - age, isProtected, children);

    private ImageCacheManager Manager(ImageCacheRules rules) => new(
        _sandbox.Settings, new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg), new InMemoryStore(), _sandbox.Registry,
        rules, TimeSpan.FromSeconds(60), new FakeTimeProvider(Now), rbdBases: new RbdBaseCache(_backend, zone: TimeZoneInfo.Utc));

    [Fact]
    public async Task The_report_lists_each_base_with_its_clones_and_a_pass_removes_only_the_old_one_without_clones()
    {
        Base(Image, TimeSpan.FromDays(2));
        Base(Used, TimeSpan.FromDays(30), true, $"{Guid.NewGuid():D}_disk");
        Base("swap_64", TimeSpan.FromHours(1));
        Base("ephemeral_1_40d1d2c", TimeSpan.FromDays(2), isProtected: false);
        Base("notabase", TimeSpan.FromDays(99));
        _rbd.SeedImage($"{Guid.NewGuid():D}_disk");
        var manager = Manager(ImageCacheRules.Default);

        var report = await manager.InspectAsync(Ct);

        var rbd = report.Entries.Where(e => e.Kind == CachedFileKind.RbdBase).ToDictionary(e => e.Name, e => e);
        rbd.Keys.Order(StringComparer.Ordinal).ShouldBe(["vms/" + Image, "vms/" + Used, "vms/ephemeral_1_40d1d2c", "vms/swap_64"]);
        rbd["vms/" + Image].Action.ShouldBe(CacheAction.Remove);
        rbd["vms/" + Image].Age.ShouldBe(TimeSpan.FromDays(2));
        rbd["vms/" + Used].Action.ShouldBe(CacheAction.InUse);
        rbd["vms/" + Used].Users.ShouldHaveSingleItem().ShouldStartWith("clone vms/");
        rbd["vms/swap_64"].Action.ShouldBe(CacheAction.Keep);
        rbd["vms/ephemeral_1_40d1d2c"].Action.ShouldBe(CacheAction.Filling);

        _rbd.ClearCalls();
        var removed = await manager.RunPassAsync(Ct);

        removed.Select(r => r.Name).ShouldBe(["vms/" + Image]);
        Calls.SkipWhile(c => !c.StartsWith("snap unprotect", StringComparison.Ordinal)).ShouldBe([
            $"snap unprotect vms/{Image}@snap",
            $"snap rm --no-progress vms/{Image}@snap",
            $"rm --no-progress vms/{Image}",
        ]);
        File.Exists(Path.Join(_pool, Image)).ShouldBeFalse();
        File.Exists(Path.Join(_pool, Used)).ShouldBeTrue();
        File.Exists(Path.Join(_pool, "swap_64")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_base_a_create_holds_is_not_removed_and_one_that_got_a_clone_before_the_second_look_is_kept()
    {
        Base(Image, TimeSpan.FromDays(2));
        var manager = Manager(ImageCacheRules.Default);

        using (_backend.TryHoldBase(Image))
        {
            (await manager.RunPassAsync(Ct)).ShouldBeEmpty();
        }

        // Ceph refuses to unprotect a snapshot with clones: the pass logs it and keeps the base.
        _rbd.BeforeCall("children", """if [ -e "$S/second" ] && ! exists x_disk; then seed_clone "$img" "$snap" x_disk; fi; : > "$S/second" """);
        (await manager.RunPassAsync(Ct)).ShouldBeEmpty();
        File.Exists(Path.Join(_pool, Image)).ShouldBeTrue();
        Calls.ShouldNotContain(c => c.StartsWith("snap unprotect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_remove_unused_base_images_false_nothing_is_removed()
    {
        Base(Image, TimeSpan.FromDays(400));

        (await Manager(ImageCacheRules.Default with { RemoveUnused = false }).RunPassAsync(Ct)).ShouldBeEmpty();

        File.Exists(Path.Join(_pool, Image)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Mon Dec  7 19:41:43 2026", "2026-12-07T19:41:43Z")]
    [InlineData("Thu Jan 15 01:02:03 2026", "2026-01-15T01:02:03Z")]
    public void Rbds_ctime_stamps_are_read_in_the_given_zone(string text, string expected)
    {
        RbdTimestamps.Parse(text, TimeZoneInfo.Utc).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-12-07 19:41:43")]
    public void Text_that_is_not_a_ctime_stamp_gives_no_time(string? text) => RbdTimestamps.Parse(text, TimeZoneInfo.Utc).ShouldBeNull();

    [Theory]
    [InlineData(Image, true)]
    [InlineData("swap_64", true)]
    [InlineData("ephemeral_1_40d1d2c", true)]
    [InlineData("0C1F1E52-8D0E-4F4B-9B43-9F0B3C0F6D11", false)]
    [InlineData(Image + "_disk", false)]
    [InlineData(Image + "-importing-0123", false)]
    [InlineData("volume-1", false)]
    public void Only_names_the_rbd_backend_gives_bases_are_cache_entries(string name, bool isBase) => RbdBaseCache.IsBaseName(name).ShouldBe(isBase);
}

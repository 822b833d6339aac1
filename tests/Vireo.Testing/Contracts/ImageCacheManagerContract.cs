using Shouldly;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What callers of <see cref="IImageCacheManager"/> (the API's <c>GET /os-image-cache</c> and
/// <c>vireo image cache</c>) rely on, asserted the same way for the fake and for Storage's
/// ImageCacheManager on a temporary state folder: every entry of the base directory listed once,
/// ordered by name, with its image, users and the next pass's verdict read afresh at each call and
/// at the clock's time; a base an instance or an instance directory (quarantined orphans too) uses
/// is never listed for removal whatever its age; an unused base is kept while younger than
/// <c>remove_unused_original_minimum_age_seconds</c> or with <c>remove_unused_base_images</c> off and
/// listed for removal otherwise; fills in progress and unknown files are never listed for removal.
/// </summary>
public abstract class ImageCacheManagerContract
{
    /// <summary>The interval every manager of the contract is made with.</summary>
    protected static readonly TimeSpan Interval = TimeSpan.FromSeconds(2400);

    /// <summary>A manager over the arranged cache with these rules and <see cref="Interval"/>.</summary>
    protected abstract IImageCacheManager Manager(ImageCacheRules rules);

    /// <summary>The clock the manager reads.</summary>
    protected abstract DateTimeOffset Now { get; }

    /// <summary>Moves the clock the manager reads forward.</summary>
    protected abstract void Advance(TimeSpan by);

    /// <summary>The base of a new image named <paramref name="imageName"/> the store knows, last used <paramref name="unusedFor"/> ago; returns its entry name and the image id.</summary>
    protected abstract Task<(string Name, Guid ImageId)> AddBaseAsync(string imageName, TimeSpan unusedFor);

    /// <summary>An instance of this installation (row and directory with its root disk) on the base named <paramref name="baseName"/>; the base's age stays as arranged.</summary>
    protected abstract Task<Guid> AddInstanceAsync(string baseName);

    /// <summary>An instance directory with a disk on the base but no row: a quarantined orphan.</summary>
    protected abstract Task<Guid> AddOrphanDirectoryAsync(string baseName);

    /// <summary>Deletes an instance added by <see cref="AddInstanceAsync"/>: its row and its directory.</summary>
    protected abstract Task RemoveInstanceAsync(Guid instanceId);

    /// <summary>A regular file of this name in the base directory, last used <paramref name="unusedFor"/> ago.</summary>
    protected abstract Task AddFileAsync(string name, TimeSpan unusedFor);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Old = TimeSpan.FromDays(400);

    private static readonly TimeSpan Young = TimeSpan.FromMinutes(5);

    private Task<ImageCacheReport> InspectAsync(ImageCacheRules? rules = null) => Manager(rules ?? ImageCacheRules.Default).InspectAsync(Ct);

    [Fact(Timeout = 120_000)]
    public async Task An_empty_cache_lists_nothing_at_the_clocks_time_with_the_interval()
    {
        var report = await InspectAsync();

        report.Entries.ShouldBeEmpty();
        report.At.ShouldBe(Now);
        report.Interval.ShouldBe(Interval);
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_entry_is_listed_once_ordered_by_name_with_its_kind_image_size_and_age()
    {
        var (a, aId) = await AddBaseAsync("alpha", Young);
        var (b, bId) = await AddBaseAsync("beta", Old);

        var report = await InspectAsync();

        report.Entries.Select(e => e.Name).ShouldBe(new[] { a, b }.Order(StringComparer.Ordinal));
        var alpha = report.Entries.Single(e => e.Name == a);
        alpha.Kind.ShouldBe(CachedFileKind.Base);
        alpha.Image.ShouldBe(new CachedImage(aId, "alpha"));
        alpha.SizeBytes.ShouldBeGreaterThan(0);
        alpha.Age.ShouldBe(Young, TimeSpan.FromSeconds(5));
        report.Entries.Single(e => e.Name == b).Image.ShouldBe(new CachedImage(bId, "beta"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_base_an_instance_uses_is_in_use_and_names_the_instance_however_old_it_is()
    {
        var (name, _) = await AddBaseAsync("used", Old);
        var instance = await AddInstanceAsync(name);

        var entry = (await InspectAsync()).Entries.ShouldHaveSingleItem();

        entry.Action.ShouldBe(CacheAction.InUse);
        entry.Users.ShouldContain($"instance {instance:D}");
        entry.Users.ShouldBe(entry.Users.Distinct().Order(StringComparer.Ordinal));
        entry.Age.ShouldBeGreaterThan(TimeSpan.FromDays(399));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_base_a_quarantined_orphan_directory_uses_is_in_use_and_names_the_directory()
    {
        var (name, _) = await AddBaseAsync("orphaned", Old);
        var orphan = await AddOrphanDirectoryAsync(name);

        var entry = (await InspectAsync()).Entries.ShouldHaveSingleItem();

        entry.Action.ShouldBe(CacheAction.InUse);
        entry.Users.ShouldHaveSingleItem().ShouldContain($"{orphan:D} (quarantined orphan)");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unused_base_is_kept_while_young_or_with_removal_off_and_listed_for_removal_when_old()
    {
        var (young, _) = await AddBaseAsync("young", Young);
        var (old, _) = await AddBaseAsync("old", Old);

        var report = await InspectAsync();
        var off = await InspectAsync(ImageCacheRules.Default with { RemoveUnused = false });

        report.Entries.Single(e => e.Name == young).Action.ShouldBe(CacheAction.Keep);
        report.Entries.Single(e => e.Name == young).Reason.ShouldContain("remove_unused_original_minimum_age_seconds");
        report.Entries.Single(e => e.Name == old).Action.ShouldBe(CacheAction.Remove);
        report.Entries.Single(e => e.Name == old).Users.ShouldBeEmpty();
        off.Entries.ShouldAllBe(e => e.Action == CacheAction.Keep);
        off.Entries.Single(e => e.Name == old).Reason.ShouldContain("remove_unused_base_images");
    }

    [Fact(Timeout = 120_000)]
    public async Task Each_inspection_reads_afresh_a_deleted_user_and_the_passing_time_change_the_verdict()
    {
        var (used, _) = await AddBaseAsync("used", Old);
        var (young, _) = await AddBaseAsync("young", Young);
        var instance = await AddInstanceAsync(used);
        var manager = Manager(ImageCacheRules.Default);
        var first = await manager.InspectAsync(Ct);

        await RemoveInstanceAsync(instance);
        Advance(TimeSpan.FromDays(2));
        var second = await manager.InspectAsync(Ct);

        first.Entries.Single(e => e.Name == used).Action.ShouldBe(CacheAction.InUse);
        first.Entries.Single(e => e.Name == young).Action.ShouldBe(CacheAction.Keep);
        second.At.ShouldBe(first.At + TimeSpan.FromDays(2));
        second.Entries.Single(e => e.Name == used).Action.ShouldBe(CacheAction.Remove);
        second.Entries.Single(e => e.Name == used).Users.ShouldBeEmpty();
        second.Entries.Single(e => e.Name == young).Action.ShouldBe(CacheAction.Remove);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_fill_in_progress_and_an_unknown_file_are_listed_and_never_for_removal()
    {
        var part = $".{new string('a', 40)}.{Guid.NewGuid():N}.part";
        await AddFileAsync(part, Old);
        await AddFileAsync("notes.txt", Old);

        var report = await InspectAsync();

        report.Entries.Single(e => e.Name == part).Action.ShouldBe(CacheAction.Filling);
        report.Entries.Single(e => e.Name == "notes.txt").Action.ShouldBe(CacheAction.Unknown);
        report.Entries.Single(e => e.Name == "notes.txt").Kind.ShouldBe(CachedFileKind.Unknown);
    }
}

using Microsoft.Extensions.Time.Testing;
using Vireo.Core.ImageCache;

namespace Vireo.Core.Tests;

/// <summary>The cache manager's decision for RBD bases: clones make a base in use whatever its age; an unused one goes only when the options and its age say so.</summary>
public sealed class RbdBaseDecisionTests
{
    private const string Image = "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11";
    private static readonly TimeSpan Day = TimeSpan.FromSeconds(86400);

    private static RbdBaseFact Base(DateTimeOffset created, bool ready = true, params string[] children) =>
        new("vms", Image, 1 << 30, created, ready, children);

    private static ImageCacheRules Rules(bool removeUnused = true) => ImageCacheRules.Default with { RemoveUnused = removeUnused };

    [Fact]
    public void A_base_with_clones_is_in_use_at_any_age_and_lists_its_clones_as_users()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var fact = Base(clock.GetUtcNow(), true, "vms/b_disk", "vms/a_disk", "vms/a_disk");
        clock.Advance(400 * Day);

        var verdict = RbdBaseDecision.Decide([fact], new HashSet<string>(), clock.GetUtcNow(), Rules()).Single();

        verdict.Action.ShouldBe(CacheAction.InUse, verdict.Reason);
        verdict.Kind.ShouldBe(CachedFileKind.RbdBase);
        verdict.Name.ShouldBe("vms/" + Image);
        verdict.Users.ShouldBe(["clone vms/a_disk", "clone vms/b_disk"]);
        verdict.Reason.ShouldBe("its snapshot snap has 2 clones");
    }

    [Fact]
    public void An_unused_base_is_kept_until_the_minimum_age_and_removed_from_then_on()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var fact = Base(clock.GetUtcNow());
        clock.Advance(Day - TimeSpan.FromSeconds(1));

        var young = RbdBaseDecision.Decide([fact], new HashSet<string>(), clock.GetUtcNow(), Rules()).Single();
        clock.Advance(TimeSpan.FromSeconds(1));
        var old = RbdBaseDecision.Decide([fact], new HashSet<string>(), clock.GetUtcNow(), Rules()).Single();

        young.Action.ShouldBe(CacheAction.Keep);
        young.Reason.ShouldBe("no clones, imported 86399 s ago, younger than remove_unused_original_minimum_age_seconds = 86400");
        old.Action.ShouldBe(CacheAction.Remove);
        old.Age.ShouldBe(Day);
        old.Reason.ShouldBe("no clones, imported 86400 s ago, at least remove_unused_original_minimum_age_seconds = 86400");
    }

    [Fact]
    public void An_old_unused_base_is_kept_when_removal_is_off_when_a_create_holds_it_and_while_it_has_no_protected_snapshot()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var created = clock.GetUtcNow();
        clock.Advance(400 * Day);
        var now = clock.GetUtcNow();

        RbdBaseDecision.Decide([Base(created)], new HashSet<string>(), now, Rules(removeUnused: false)).Single()
            .ShouldSatisfyAllConditions(v => v.Action.ShouldBe(CacheAction.Keep), v => v.Reason.ShouldContain("remove_unused_base_images is false"));
        RbdBaseDecision.Decide([Base(created)], new HashSet<string> { Image }, now, Rules()).Single()
            .ShouldSatisfyAllConditions(v => v.Action.ShouldBe(CacheAction.Keep), v => v.Reason.ShouldBe("held by a create in this service right now"));
        RbdBaseDecision.Decide([Base(created, ready: false)], new HashSet<string>(), now, Rules()).Single().Action.ShouldBe(CacheAction.Filling);
    }

    [Fact]
    public void A_creation_time_in_the_future_counts_as_age_zero()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var verdict = RbdBaseDecision.Decide([Base(now + Day)], new HashSet<string>(), now, Rules() with { OriginalMinimumAge = TimeSpan.Zero }).Single();

        verdict.Age.ShouldBe(TimeSpan.Zero);
        verdict.Action.ShouldBe(CacheAction.Remove);
    }

    [Fact]
    public void The_kind_is_named_rbd_base()
    {
        ImageCacheDecision.KindName(CachedFileKind.RbdBase).ShouldBe("rbd_base");
    }
}

using Microsoft.Extensions.Time.Testing;
using Vireo.Core.ImageCache;

namespace Vireo.Core.Tests;

/// <summary>The cache manager's decision as a table: each row a cache entry, its users and the clock, and what the next pass does.</summary>
public sealed class ImageCacheDecisionTests
{
    private const string A = "0123456789abcdef0123456789abcdef01234567";
    private const string B = "fedcba9876543210fedcba9876543210fedcba98";
    private static readonly TimeSpan Day = TimeSpan.FromSeconds(86400);
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public static TheoryData<string, string, long, string[], bool, bool, CacheAction> Table => new()
    {
        // name, other entries, age (s), users, remove_unused, held, expected
        { A, "", 10, ["instance 1"], true, false, CacheAction.InUse },
        { A, "", 400 * 86400, ["instance 1"], true, false, CacheAction.InUse },
        { A, "", 400 * 86400, ["directory x (quarantined orphan): disk"], true, false, CacheAction.InUse },
        { A, "", 400 * 86400, ["directory x of host h2: disk"], true, false, CacheAction.InUse },
        { A, "", 86400, [], true, false, CacheAction.Remove },
        { A, "", 86399, [], true, false, CacheAction.Keep },
        { A, "", 400 * 86400, [], false, false, CacheAction.Keep },
        { A, "", 400 * 86400, [], true, true, CacheAction.Keep },
        { A, $".{A}.0123456789abcdef0123456789abcdef.part", 400 * 86400, [], true, false, CacheAction.Filling },
        { $".{A}.0123456789abcdef0123456789abcdef.part", "", 400 * 86400, [], true, false, CacheAction.Filling },
        { $".{A}.0123456789abcdef0123456789abcdef.raw.part", "", 400 * 86400, [], true, false, CacheAction.Filling },
        { A + "_10737418240", "", 3600, [], true, false, CacheAction.Remove },
        { A + "_10737418240", "", 3599, [], true, false, CacheAction.Keep },
        { "ephemeral_1_40d1321", "", 86400, [], true, false, CacheAction.Remove },
        { "ephemeral_1_40d1321", "", 400 * 86400, ["instance 1"], true, false, CacheAction.InUse },
        { "swap_64", "", 86400, [], true, false, CacheAction.Remove },
        { "swap_64", "", 10, [], true, false, CacheAction.Keep },
        { "notes.txt", "", 400 * 86400, [], true, false, CacheAction.Unknown },
        { A.ToUpperInvariant(), "", 400 * 86400, [], true, false, CacheAction.Unknown },
        { A + ".bak", "", 400 * 86400, [], true, false, CacheAction.Unknown },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decides_each_entry(string name, string other, long ageSeconds, string[] users, bool removeUnused, bool held, CacheAction expected)
    {
        var now = Clock.GetUtcNow();
        List<CachedFile> files = [new(name, 1 << 20, now - TimeSpan.FromSeconds(ageSeconds))];
        if (other.Length > 0)
        {
            files.Add(new(other, 4096, now));
        }

        var facts = new ImageCacheFacts(
            files, [.. users.Select(who => new CacheUser(name, who))], new Dictionary<string, CachedImage>(),
            held ? new HashSet<string> { name } : new HashSet<string>(), now);

        var verdict = ImageCacheDecision.Decide(facts, ImageCacheDefaults(removeUnused)).Single(v => v.Name == name);

        verdict.Action.ShouldBe(expected, verdict.Reason);
        verdict.Users.ShouldBe(users);
        verdict.Age.ShouldBe(TimeSpan.FromSeconds(ageSeconds));
    }

    [Fact]
    public void A_used_base_is_never_removed_whatever_the_clock_says()
    {
        var clock = new FakeTimeProvider(Clock.GetUtcNow());
        var used = new CachedFile(A, 100, clock.GetUtcNow());
        foreach (var days in new[] { 0, 1, 2, 30, 10_000 })
        {
            clock.Advance(Day * days);
            var facts = new ImageCacheFacts([used], [new CacheUser(A, "instance 1")], new Dictionary<string, CachedImage>(), new HashSet<string>(), clock.GetUtcNow());
            ImageCacheDecision.Decide(facts, new ImageCacheRules(true, TimeSpan.Zero, TimeSpan.Zero)).Single().Action.ShouldBe(CacheAction.InUse);
        }
    }

    [Fact]
    public void A_resized_base_is_used_by_the_users_of_its_original_and_named_after_its_image()
    {
        var image = new CachedImage(Guid.NewGuid(), "cirros");
        var facts = new ImageCacheFacts(
            [new(A + "_1073741824", 100, Clock.GetUtcNow() - Day * 5), new(A, 100, Clock.GetUtcNow() - Day * 5), new(B, 7, Clock.GetUtcNow() - Day * 5)],
            [new CacheUser(A, "instance 1"), new CacheUser(A, "instance 1")],
            new Dictionary<string, CachedImage> { [A] = image },
            new HashSet<string>(),
            Clock.GetUtcNow());

        var verdicts = ImageCacheDecision.Decide(facts, ImageCacheRules.Default);

        verdicts.Select(v => (v.Name, v.Action)).ShouldBe([(A, CacheAction.InUse), (A + "_1073741824", CacheAction.InUse), (B, CacheAction.Remove)]);
        verdicts[0].Image.ShouldBe(image);
        verdicts[0].Users.ShouldBe(["instance 1"]);
        verdicts[1].Image.ShouldBe(image);
        verdicts[2].Image.ShouldBeNull();
        verdicts[2].Reason.ShouldContain("remove_unused_original_minimum_age_seconds");
    }

    [Fact]
    public void Anything_but_a_regular_file_is_reported_and_never_removed()
    {
        var facts = new ImageCacheFacts(
            [new(A, 0, Clock.GetUtcNow() - Day * 99, IsRegularFile: false)], [], new Dictionary<string, CachedImage>(), new HashSet<string>(), Clock.GetUtcNow());

        var verdict = ImageCacheDecision.Decide(facts, ImageCacheRules.Default).Single();

        verdict.Action.ShouldBe(CacheAction.Unknown);
        verdict.Kind.ShouldBe(CachedFileKind.Unknown);
    }

    [Fact]
    public void A_file_from_the_future_is_zero_days_old_and_kept()
    {
        var facts = new ImageCacheFacts(
            [new(A, 1, Clock.GetUtcNow() + Day)], [], new Dictionary<string, CachedImage>(), new HashSet<string>(), Clock.GetUtcNow());

        var verdict = ImageCacheDecision.Decide(facts, ImageCacheRules.Default).Single();

        verdict.Age.ShouldBe(TimeSpan.Zero);
        verdict.Action.ShouldBe(CacheAction.Keep);
    }

    private static ImageCacheRules ImageCacheDefaults(bool removeUnused) => ImageCacheRules.Default with { RemoveUnused = removeUnused };
}

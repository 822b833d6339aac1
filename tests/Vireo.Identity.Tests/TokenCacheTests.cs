using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Vireo.Identity;

namespace Vireo.Identity.Tests;

public sealed class TokenCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    private static TokenVerdict.Valid ValidUntil(DateTimeOffset expires) => new(new KeystoneToken("u", "p", ["member"], expires));

    [Fact]
    public void A_valid_token_is_kept_for_the_cache_time()
    {
        TokenCachePolicy.CacheUntil(ValidUntil(Now.AddHours(1)), Now, FiveMinutes).ShouldBe(Now + FiveMinutes);
    }

    [Fact]
    public void A_valid_token_is_never_kept_past_its_expiry()
    {
        TokenCachePolicy.CacheUntil(ValidUntil(Now.AddMinutes(2)), Now, FiveMinutes).ShouldBe(Now.AddMinutes(2));
    }

    [Fact]
    public void An_expired_token_is_not_kept()
    {
        TokenCachePolicy.CacheUntil(ValidUntil(Now), Now, FiveMinutes).ShouldBeNull();
    }

    [Fact]
    public void An_invalid_token_is_kept_briefly()
    {
        TokenCachePolicy.CacheUntil(new TokenVerdict.Invalid("revoked"), Now, FiveMinutes).ShouldBe(Now + TokenCachePolicy.InvalidFor);
        TokenCachePolicy.CacheUntil(new TokenVerdict.Invalid("revoked"), Now, TimeSpan.FromSeconds(3)).ShouldBe(Now.AddSeconds(3));
    }

    [Fact]
    public void An_outage_or_a_refusal_of_the_service_is_never_kept()
    {
        TokenCachePolicy.CacheUntil(new TokenVerdict.IdentityUnavailable("down"), Now, FiveMinutes).ShouldBeNull();
        TokenCachePolicy.CacheUntil(new TokenVerdict.ServiceRefused("bad password"), Now, FiveMinutes).ShouldBeNull();
    }

    [Fact]
    public void A_cache_time_of_zero_or_less_keeps_nothing()
    {
        TokenCachePolicy.CacheUntil(ValidUntil(Now.AddHours(1)), Now, TimeSpan.Zero).ShouldBeNull();
        TokenCachePolicy.CacheUntil(new TokenVerdict.Invalid("x"), Now, TimeSpan.FromSeconds(-1)).ShouldBeNull();
    }

    [Fact]
    public void A_kept_verdict_never_outlives_the_cache_time_or_the_token()
    {
        Gen.Select(Gen.Int[-100, 100_000], Gen.Int[-10, 10_000]).Sample((expiresIn, cacheSeconds) =>
        {
            var until = TokenCachePolicy.CacheUntil(ValidUntil(Now.AddSeconds(expiresIn)), Now, TimeSpan.FromSeconds(cacheSeconds));
            if (until is { } u)
            {
                u.ShouldBeGreaterThan(Now);
                u.ShouldBeLessThanOrEqualTo(Now.AddSeconds(expiresIn));
                u.ShouldBeLessThanOrEqualTo(Now.AddSeconds(cacheSeconds));
            }
            else
            {
                (expiresIn <= 0 || cacheSeconds <= 0).ShouldBeTrue();
            }
        });
    }

    [Fact]
    public void The_cache_gives_a_verdict_back_until_its_time_and_not_after()
    {
        var time = new FakeTimeProvider(Now);
        var cache = new TokenCache(time);
        var verdict = ValidUntil(Now.AddHours(1));

        cache.Put("token-a", verdict, FiveMinutes);

        cache.Get("token-a").ShouldBe(verdict);
        cache.Get("token-b").ShouldBeNull();
        time.Advance(FiveMinutes - TimeSpan.FromSeconds(1));
        cache.Get("token-a").ShouldBe(verdict);
        time.Advance(TimeSpan.FromSeconds(1));
        cache.Get("token-a").ShouldBeNull();
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public void The_cache_keys_by_a_hash_not_the_token()
    {
        TokenCache.Key("gAAAAABsecret").ShouldNotContain("secret");
        TokenCache.Key("gAAAAABsecret").Length.ShouldBe(64);
        TokenCache.Key("a").ShouldNotBe(TokenCache.Key("b"));
    }

    [Fact]
    public void The_cache_stays_bounded()
    {
        var time = new FakeTimeProvider(Now);
        var cache = new TokenCache(time);
        for (var i = 0; i < TokenCache.MaxEntries + 10; i++)
        {
            cache.Put("token-" + i, new TokenVerdict.Invalid("x"), FiveMinutes);
        }

        cache.Count.ShouldBeLessThanOrEqualTo(TokenCache.MaxEntries);
    }
}

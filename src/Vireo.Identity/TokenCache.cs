using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Vireo.Identity;

/// <summary>What validating a token concluded, as kept in the cache.</summary>
public abstract record TokenVerdict
{
    private TokenVerdict()
    {
    }

    public sealed record Valid(KeystoneToken Token) : TokenVerdict;

    /// <summary>Unknown, malformed, expired or revoked (Keystone's reason in <paramref name="Reason"/>).</summary>
    public sealed record Invalid(string Reason) : TokenVerdict;

    /// <summary>Keystone could not be asked (down, timing out, a 5xx): nothing is known about the token.</summary>
    public sealed record IdentityUnavailable(string Reason) : TokenVerdict;

    /// <summary>Keystone refused this service's own credentials (or their right to validate tokens).</summary>
    public sealed record ServiceRefused(string Reason) : TokenVerdict;
}

/// <summary>
/// How long a verdict may be reused (keystonemiddleware/auth_token/_cache.py: valid tokens up to
/// token_cache_time, never past their expiry; invalid ones remembered too, so a flood of bad tokens
/// does not reach Keystone, but here only briefly).
/// </summary>
public static class TokenCachePolicy
{
    /// <summary>The longest an invalid verdict is reused.</summary>
    public static readonly TimeSpan InvalidFor = TimeSpan.FromSeconds(30);

    /// <summary>Until when the verdict may be reused; null when it must not be cached at all.</summary>
    public static DateTimeOffset? CacheUntil(TokenVerdict verdict, DateTimeOffset now, TimeSpan cacheTime)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (cacheTime <= TimeSpan.Zero)
        {
            return null;
        }

        return verdict switch
        {
            TokenVerdict.Valid valid when valid.Token.ExpiresAt > now => Min(now + cacheTime, valid.Token.ExpiresAt),
            TokenVerdict.Invalid => now + Min(cacheTime, InvalidFor),
            _ => null,
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>
/// Verdicts by token, in memory, keyed by the token's SHA-256 (the token itself is never kept);
/// an entry is gone at its time. Bounded: past <see cref="MaxEntries"/> the expired entries are
/// dropped, and if that is not enough, all.
/// </summary>
public sealed class TokenCache(TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (TokenVerdict Verdict, DateTimeOffset Until)> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public TokenVerdict? Get(string token)
    {
        var key = Key(token);
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.Until > time.GetUtcNow())
        {
            return entry.Verdict;
        }

        entries.TryRemove(new KeyValuePair<string, (TokenVerdict, DateTimeOffset)>(key, entry));
        return null;
    }

    /// <summary>Keeps the verdict for as long as <see cref="TokenCachePolicy"/> allows (not at all for some).</summary>
    public void Put(string token, TokenVerdict verdict, TimeSpan cacheTime)
    {
        var now = time.GetUtcNow();
        if (TokenCachePolicy.CacheUntil(verdict, now, cacheTime) is not { } until)
        {
            return;
        }

        if (entries.Count >= MaxEntries)
        {
            foreach (var stale in entries.Where(e => e.Value.Until <= now).ToList())
            {
                entries.TryRemove(stale);
            }

            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }
        }

        entries[Key(token)] = (verdict, until);
    }

    internal static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

using System.Globalization;

namespace Vireo.Core.ImageCache;

/// <summary>One RBD base in the pool, as read for the cache manager.</summary>
/// <param name="Pool"><c>images_rbd_pool</c>.</param>
/// <param name="Name">The base image's name: an image id, or a template name (<c>ephemeral_1_40d1d2c</c>, <c>swap_64</c>).</param>
/// <param name="SizeBytes">Its provisioned size.</param>
/// <param name="Created">When the base was imported (<c>rbd info</c>'s create_timestamp): an RBD base is never touched after that, so this is its age.</param>
/// <param name="IsReady">It has the protected snapshot <c>snap</c>; false while a create is making it (or one failed half-way).</param>
/// <param name="Children">The clones of its snapshot (<c>rbd children</c>), as pool/image.</param>
/// <param name="Image">The image the base is of, when the store knows it.</param>
public sealed record RbdBaseFact(string Pool, string Name, long SizeBytes, DateTimeOffset Created, bool IsReady, IReadOnlyList<string> Children, CachedImage? Image = null);

/// <summary>
/// The cache manager's decision for RBD bases, pure over their facts: a base whose snapshot has any
/// clone is in use whatever its age (a clone reads through to it); one without a protected snapshot
/// is being made and left alone; one a create in this service holds is kept; an unused one is
/// removed only when <c>remove_unused_base_images</c> is true and it is at least
/// <c>remove_unused_original_minimum_age_seconds</c> old.
/// </summary>
public static class RbdBaseDecision
{
    /// <param name="held">Base names a create in this service holds right now.</param>
    public static IReadOnlyList<CacheVerdict> Decide(IReadOnlyList<RbdBaseFact> bases, IReadOnlySet<string> held, DateTimeOffset now, ImageCacheRules rules)
    {
        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(rules);
        return [.. bases.OrderBy(b => b.Name, StringComparer.Ordinal).Select(b => Judge(b, held, now, rules))];
    }

    /// <summary>The verdict's name of a base: <c>&lt;pool&gt;/&lt;image&gt;</c>.</summary>
    public static string EntryName(string pool, string image) => pool + "/" + image;

    private static CacheVerdict Judge(RbdBaseFact fact, IReadOnlySet<string> held, DateTimeOffset now, ImageCacheRules rules)
    {
        var age = now > fact.Created ? now - fact.Created : TimeSpan.Zero;
        var users = fact.Children.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(c => "clone " + c).ToList();
        CacheVerdict Verdict(CacheAction action, string reason) =>
            new(EntryName(fact.Pool, fact.Name), CachedFileKind.RbdBase, fact.Image, fact.SizeBytes, age, users, action, reason);

        if (!fact.IsReady)
        {
            return Verdict(CacheAction.Filling, "no protected snapshot snap: being imported by a create (or left half-made); left alone");
        }

        if (users.Count > 0)
        {
            return Verdict(CacheAction.InUse, users.Count == 1 ? "its snapshot snap has 1 clone" : $"its snapshot snap has {users.Count} clones");
        }

        if (held.Contains(fact.Name))
        {
            return Verdict(CacheAction.Keep, "held by a create in this service right now");
        }

        if (!rules.RemoveUnused)
        {
            return Verdict(CacheAction.Keep, "no clones; remove_unused_base_images is false");
        }

        var minimum = rules.OriginalMinimumAge;
        return age < minimum
            ? Verdict(CacheAction.Keep, string.Create(CultureInfo.InvariantCulture, $"no clones, imported {(long)age.TotalSeconds} s ago, younger than remove_unused_original_minimum_age_seconds = {(long)minimum.TotalSeconds}"))
            : Verdict(CacheAction.Remove, string.Create(CultureInfo.InvariantCulture, $"no clones, imported {(long)age.TotalSeconds} s ago, at least remove_unused_original_minimum_age_seconds = {(long)minimum.TotalSeconds}"));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Vireo.Core.ImageCache;

/// <summary>
/// The cache manager's decision, a pure function of <see cref="ImageCacheFacts"/> and
/// <see cref="ImageCacheRules"/> (Nova's nova/virt/libvirt/imagecache.py: originals
/// <c>^[0-9a-f]{40}$</c>, resized <c>^[0-9a-f]{40}_\d+$</c>, each aged and removed when no instance uses it).
/// The order of the checks is the safety argument: a fill in progress is never touched, an
/// unknown entry is never removed, a base anything uses (a row of this installation, any instance
/// directory on the shared instances_path, quarantined orphans included) is never removed whatever
/// its age, and only then do the options and the age decide.
/// </summary>
public static partial class ImageCacheDecision
{
    public static IReadOnlyList<CacheVerdict> Decide(ImageCacheFacts facts, ImageCacheRules rules)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(rules);
        var users = facts.Users
            .GroupBy(user => user.FileName, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(user => user.Who).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var filling = facts.Files.Select(file => FillTarget().Match(file.Name)).Where(match => match.Success)
            .Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        return [.. facts.Files.OrderBy(file => file.Name, StringComparer.Ordinal).Select(file => Judge(file, facts, rules, users, filling))];
    }

    /// <summary>What an entry's name says it is.</summary>
    public static CachedFileKind KindOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            _ when Original().IsMatch(name) => CachedFileKind.Base,
            _ when Resized().IsMatch(name) => CachedFileKind.ResizedBase,
            _ when Ephemeral().IsMatch(name) => CachedFileKind.EphemeralTemplate,
            _ when Swap().IsMatch(name) => CachedFileKind.SwapTemplate,
            _ when FillTarget().IsMatch(name) => CachedFileKind.Filling,
            _ => CachedFileKind.Unknown,
        };
    }

    /// <summary>A kind's name in the API, the CLI and the removal metric's tag.</summary>
    public static string KindName(CachedFileKind kind) => kind switch
    {
        CachedFileKind.Base => "base",
        CachedFileKind.ResizedBase => "resized_base",
        CachedFileKind.EphemeralTemplate => "ephemeral_template",
        CachedFileKind.SwapTemplate => "swap_template",
        CachedFileKind.Filling => "filling",
        CachedFileKind.RbdBase => "rbd_base",
        _ => "unknown",
    };

    /// <summary>An action's name in the API and the CLI.</summary>
    public static string ActionName(CacheAction action) => action switch
    {
        CacheAction.InUse => "in_use",
        CacheAction.Keep => "keep",
        CacheAction.Remove => "remove",
        CacheAction.Filling => "filling",
        _ => "unknown",
    };

    private static CacheVerdict Judge(
        CachedFile file, ImageCacheFacts facts, ImageCacheRules rules, Dictionary<string, List<string>> users, HashSet<string> filling)
    {
        var kind = file.IsRegularFile ? KindOf(file.Name) : CachedFileKind.Unknown;
        var age = facts.Now > file.LastUsed ? facts.Now - file.LastUsed : TimeSpan.Zero;
        var original = kind == CachedFileKind.ResizedBase ? file.Name[..40] : file.Name;
        facts.Images.TryGetValue(original, out var image);
        List<string> who = [.. users.GetValueOrDefault(file.Name) ?? [], .. kind == CachedFileKind.ResizedBase ? users.GetValueOrDefault(original) ?? [] : []];
        who = [.. who.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        CacheVerdict Verdict(CacheAction action, string reason) => new(file.Name, kind, image, file.SizeBytes, age, who, action, reason);

        if (kind == CachedFileKind.Filling)
        {
            return Verdict(CacheAction.Filling, "the temporary file of a fill in progress");
        }

        if (kind == CachedFileKind.Unknown)
        {
            return Verdict(CacheAction.Unknown, file.IsRegularFile
                ? "not a name the cache makes; left alone"
                : "not a regular file; left alone");
        }

        if (filling.Contains(file.Name))
        {
            return Verdict(CacheAction.Filling, "a fill of this name is in progress");
        }

        if (who.Count > 0)
        {
            return Verdict(CacheAction.InUse, who.Count == 1 ? "used by 1 instance disk or instance" : $"used by {who.Count} instance disks or instances");
        }

        if (facts.Held.Contains(file.Name))
        {
            return Verdict(CacheAction.Keep, "held by a create in this service right now");
        }

        if (!rules.RemoveUnused)
        {
            return Verdict(CacheAction.Keep, "unused; remove_unused_base_images is false");
        }

        var (minimum, option) = kind == CachedFileKind.ResizedBase
            ? (rules.ResizedMinimumAge, "remove_unused_resized_minimum_age_seconds")
            : (rules.OriginalMinimumAge, "remove_unused_original_minimum_age_seconds");
        return age < minimum
            ? Verdict(CacheAction.Keep, string.Create(CultureInfo.InvariantCulture, $"unused for {Seconds(age)} s, younger than {option} = {Seconds(minimum)}"))
            : Verdict(CacheAction.Remove, string.Create(CultureInfo.InvariantCulture, $"unused for {Seconds(age)} s, at least {option} = {Seconds(minimum)}"));
    }

    private static long Seconds(TimeSpan span) => (long)span.TotalSeconds;

    [GeneratedRegex("^[0-9a-f]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Original();

    [GeneratedRegex("^[0-9a-f]{40}_[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Resized();

    [GeneratedRegex("^ephemeral_[0-9]+_[0-9A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Ephemeral();

    [GeneratedRegex("^swap_[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Swap();

    /// <summary>The base cache's temporary files: <c>.&lt;name&gt;.&lt;guid N&gt;.part</c> and <c>.&lt;name&gt;.&lt;guid N&gt;.raw.part</c>.</summary>
    [GeneratedRegex(@"^\.(?<name>.+)\.[0-9a-f]{32}(\.raw)?\.part$", RegexOptions.CultureInvariant)]
    private static partial Regex FillTarget();
}

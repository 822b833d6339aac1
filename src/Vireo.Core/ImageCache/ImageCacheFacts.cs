namespace Vireo.Core.ImageCache;

/// <summary>One entry of the base image directory (<c>&lt;instances_path&gt;/&lt;subdirectory_name&gt;</c>).</summary>
/// <param name="Name">The entry's file name.</param>
/// <param name="SizeBytes">Its apparent size (0 for anything that is not a regular file).</param>
/// <param name="LastUsed">The later of its access and modification times: the cache touches a base each time it leases it.</param>
/// <param name="IsRegularFile">False for directories, links and anything else: those are only reported.</param>
public sealed record CachedFile(string Name, long SizeBytes, DateTimeOffset LastUsed, bool IsRegularFile = true);

/// <summary>Something that uses the cache entry named <paramref name="FileName"/>.</summary>
/// <param name="FileName">The entry's file name: the base of an instance's image, or the file a disk's qcow2 header names as its backing file.</param>
/// <param name="Who">Who uses it, for people: "instance 1b4e...", "directory 1b4e... (quarantined orphan)", "directory 1b4e... of host h2".</param>
public sealed record CacheUser(string FileName, string Who);

/// <summary>The image a base name belongs to (the base of image <paramref name="Id"/> is named by the SHA-1 of its id).</summary>
public sealed record CachedImage(Guid Id, string Name);

/// <summary>
/// What the cache manager decides from: the entries of the base directory, their users, the
/// images the store knows (to name bases), the bases this service holds right now (a create
/// filling or leasing one), and the time.
/// </summary>
public sealed record ImageCacheFacts(
    IReadOnlyList<CachedFile> Files,
    IReadOnlyList<CacheUser> Users,
    IReadOnlyDictionary<string, CachedImage> Images,
    IReadOnlySet<string> Held,
    DateTimeOffset Now);

/// <summary>
/// Nova's <c>[image_cache]</c> removal options as values.
/// </summary>
/// <param name="RemoveUnused"><c>remove_unused_base_images</c>.</param>
/// <param name="OriginalMinimumAge"><c>remove_unused_original_minimum_age_seconds</c>: bases and ephemeral/swap templates.</param>
/// <param name="ResizedMinimumAge"><c>remove_unused_resized_minimum_age_seconds</c>: resized bases (<c>&lt;sha1&gt;_&lt;size&gt;</c>).</param>
public sealed record ImageCacheRules(bool RemoveUnused, TimeSpan OriginalMinimumAge, TimeSpan ResizedMinimumAge)
{
    /// <summary>Nova's defaults: remove, after a day (resized: an hour).</summary>
    public static ImageCacheRules Default { get; } = new(true, TimeSpan.FromSeconds(86400), TimeSpan.FromSeconds(3600));
}

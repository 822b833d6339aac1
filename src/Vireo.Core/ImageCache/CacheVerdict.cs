namespace Vireo.Core.ImageCache;

/// <summary>What an entry of the base directory is, by its name.</summary>
public enum CachedFileKind
{
    /// <summary><c>&lt;sha1 hex of the image id&gt;</c> (Nova's <c>get_cache_fname</c>).</summary>
    Base,

    /// <summary><c>&lt;sha1&gt;_&lt;size&gt;</c>: a base resized for a flavor (Nova's imagecache names them so).</summary>
    ResizedBase,

    /// <summary><c>ephemeral_&lt;GiB&gt;_&lt;hash&gt;</c>: a formatted ephemeral disk template.</summary>
    EphemeralTemplate,

    /// <summary><c>swap_&lt;MiB&gt;</c>: a swap disk template.</summary>
    SwapTemplate,

    /// <summary><c>.&lt;name&gt;.&lt;32 hex&gt;[.raw].part</c>: the temporary file of a fill in progress.</summary>
    Filling,

    /// <summary>Anything else: reported, never removed.</summary>
    Unknown,

    /// <summary>
    /// An RBD base in <c>images_rbd_pool</c> (images_type = rbd): an image's base named by its id, or
    /// an ephemeral/swap template named as in the base directory, each with the protected snapshot
    /// <c>snap</c> its clones hang from. Its verdict's name is <c>&lt;pool&gt;/&lt;image&gt;</c>.
    /// </summary>
    RbdBase,
}

/// <summary>What the next pass does with an entry.</summary>
public enum CacheAction
{
    /// <summary>Something uses it: never removed, whatever its age.</summary>
    InUse,

    /// <summary>Unused, but kept: too young, removal disabled, or held by a create right now.</summary>
    Keep,

    /// <summary>Unused and old enough: the next pass removes it.</summary>
    Remove,

    /// <summary>A fill in progress (its temporary file, or the base it is filling): never touched.</summary>
    Filling,

    /// <summary>Not something the cache makes: reported, never removed.</summary>
    Unknown,
}

/// <summary>The decision for one entry of the base directory.</summary>
/// <param name="Name">The entry's file name.</param>
/// <param name="Kind">What the name says it is.</param>
/// <param name="Image">The image a base (or resized base) belongs to, when the store still knows it.</param>
/// <param name="SizeBytes">Its apparent size.</param>
/// <param name="Age">How long since it was last used (leased, filled, read); never negative.</param>
/// <param name="Users">Who uses it, each once, ordered.</param>
/// <param name="Action">What the next pass does.</param>
/// <param name="Reason">Why, in a sentence fragment naming the option that decides it.</param>
public sealed record CacheVerdict(
    string Name,
    CachedFileKind Kind,
    CachedImage? Image,
    long SizeBytes,
    TimeSpan Age,
    IReadOnlyList<string> Users,
    CacheAction Action,
    string Reason);

/// <summary>The cache as the next pass would judge it.</summary>
/// <param name="At">When the facts were read.</param>
/// <param name="Interval">How often the pass runs; null when it never runs (<c>manager_interval = -1</c>).</param>
/// <param name="Entries">Every entry of the base directory, ordered by name.</param>
public sealed record ImageCacheReport(DateTimeOffset At, TimeSpan? Interval, IReadOnlyList<CacheVerdict> Entries);

namespace Vireo.Virt;

/// <summary>
/// How long Vireo waits for libvirt, and how many threads it lets wait inside libvirt at once.
/// A blocked native call cannot be cancelled: a hung libvirtd keeps the thread until it answers.
/// So native calls run in a bulkhead of <see cref="MaxConcurrentCalls"/> slots, each caller waits
/// for a slot at most <see cref="SlotWait"/> and for the call at most its timeout, and then gets
/// <see cref="Core.ErrorKind.Unavailable"/> while the thread stays counted until libvirt returns.
/// </summary>
public sealed record LibvirtLimits
{
    public const int DefaultMaxConcurrentCalls = 4;

    public static LibvirtLimits Default { get; } = new();

    /// <summary>Threads allowed inside libvirt at once (calls and opens together).</summary>
    public int MaxConcurrentCalls { get; init; } = DefaultMaxConcurrentCalls;

    /// <summary>How long a call waits for a free slot before it is refused.</summary>
    public TimeSpan SlotWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Reads and lookups (one or a few round trips): a request that needs libvirt answers within SlotWait + this.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a caller waits for a new connection; the open itself goes on and serves the next caller once libvirt answers.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Listing every guest reads each domain's XML, one round trip each; no request waits on it
    /// (start-up reconciliation and the event watcher do), so it gets more time than a lookup.
    /// </summary>
    public TimeSpan ListTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Calls that wait for QEMU or for the domain's job (define, start, shutdown, destroy,
    /// reboot, undefine): run by background operations, never while a request waits.
    /// libvirt itself waits up to 30 s for a domain job and 10 s for QEMU to die on destroy.
    /// </summary>
    public TimeSpan SlowCallTimeout { get; init; } = TimeSpan.FromSeconds(45);
}

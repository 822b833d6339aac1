namespace Vireo.Storage.Disks;

/// <summary>
/// The per-base gate seen from the cache manager: the same <see cref="SemaphoreSlim"/> a fill and a
/// lease hold, so a removal never runs while a create of this service fills or leases that base.
/// </summary>
public sealed partial class BaseImageCache
{
    /// <summary>The names in the base directory whose gate a fill or lease of this service holds now.</summary>
    public IReadOnlySet<string> HeldNames() =>
        _locks.Where(pair => pair.Value.CurrentCount == 0).Select(pair => Path.GetFileName(pair.Key)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Takes the gate of <c>&lt;base directory&gt;/<paramref name="name"/></c> when nobody holds it;
    /// null when a fill or lease holds it now (the caller leaves that entry for a later pass).
    /// </summary>
    public IDisposable? TryHold(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var gate = _locks.GetOrAdd(Path.Join(_settings.BaseDirectory, name), static _ => new SemaphoreSlim(1, 1));
        return gate.Wait(TimeSpan.Zero) ? new Held(gate) : null;
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}

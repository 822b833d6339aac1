namespace Vireo.Storage.Disks;

/// <summary>
/// The per-base gate seen from the cache manager: the same <see cref="SemaphoreSlim"/> a fill and a
/// lease hold, so a removal never runs while a create of this service fills or leases that base.
/// </summary>
public sealed partial class BaseImageCache
{
    /// <summary>The gates of the base directory, which the template cache of the same service shares.</summary>
    public BaseDirectoryGates Gates => _gates;

    /// <summary>The names in the base directory whose gate a fill or lease of this service holds now.</summary>
    public IReadOnlySet<string> HeldNames() =>
        _gates.Held().Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Takes the gate of <c>&lt;base directory&gt;/<paramref name="name"/></c> when nobody holds it;
    /// null when a fill or lease holds it now (the caller leaves that entry for a later pass).
    /// </summary>
    public IDisposable? TryHold(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var gate = _gates.For(Path.Join(_settings.BaseDirectory, name));
        return gate.Wait(TimeSpan.Zero) ? new Held(gate) : null;
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}

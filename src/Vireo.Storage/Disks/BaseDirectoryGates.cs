using System.Collections.Concurrent;

namespace Vireo.Storage.Disks;

/// <summary>
/// One gate per file of the base directory (<c>_base</c>), shared by everything in this service that
/// fills, leases or removes an entry there: the base image cache, the ephemeral/swap template cache
/// and the image cache manager. Keyed by full path, so a base and a template never share a gate and a
/// removal never runs while this service fills or leases either.
/// </summary>
public sealed class BaseDirectoryGates
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>The gate of <paramref name="path"/>, made on first use.</summary>
    public SemaphoreSlim For(string path) => _gates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));

    /// <summary>The paths whose gate is held now.</summary>
    public IEnumerable<string> Held() => _gates.Where(pair => pair.Value.CurrentCount == 0).Select(pair => pair.Key);
}

namespace Vireo.Core.Compute;

/// <summary>
/// One gate per instance, held while an operation touches the instance's guest and files,
/// so a delete that takes over a running build waits for the build's undo to finish.
/// Entries exist only while someone holds or waits for them.
/// </summary>
internal sealed class InstanceGates
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Entry> _entries = [];

    public async Task<IDisposable> EnterAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var entry = Reference(instanceId);
        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(instanceId, entry, holding: false);
            throw;
        }

        return new Lease(this, instanceId, entry);
    }

    /// <summary>Enters only when nobody holds the gate; null otherwise.</summary>
    public IDisposable? TryEnter(Guid instanceId)
    {
        var entry = Reference(instanceId);
        if (entry.Gate.Wait(0))
        {
            return new Lease(this, instanceId, entry);
        }

        Release(instanceId, entry, holding: false);
        return null;
    }

    private Entry Reference(Guid instanceId)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(instanceId, out var entry))
            {
                entry = new Entry();
                _entries.Add(instanceId, entry);
            }

            entry.Users++;
            return entry;
        }
    }

    private void Release(Guid instanceId, Entry entry, bool holding)
    {
        if (holding)
        {
            entry.Gate.Release();
        }

        lock (_lock)
        {
            entry.Users--;
            if (entry.Users == 0)
            {
                _entries.Remove(instanceId);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Lease(InstanceGates gates, Guid instanceId, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gates.Release(instanceId, entry, holding: true);
            }
        }
    }
}

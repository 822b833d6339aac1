namespace Vireo.Testing.Fakes;

/// <summary>
/// The snapshot files the fakes write instead of real ones: the fake hypervisor's live copy and the
/// fake disks' export put one here, the fake disks open and remove it. Shared by one <see cref="FakeHost"/>.
/// </summary>
public sealed class FakeSnapshotFiles
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths
    {
        get
        {
            lock (_lock)
            {
                return [.. _files.Keys];
            }
        }
    }

    public void Write(string path, byte[] content)
    {
        lock (_lock)
        {
            _files[path] = content;
        }
    }

    public byte[]? Read(string path)
    {
        lock (_lock)
        {
            return _files.GetValueOrDefault(path);
        }
    }

    public void Remove(string path)
    {
        lock (_lock)
        {
            _files.Remove(path);
        }
    }

    /// <summary>What a copy of an instance's root disk contains here: its id, so a test can tell copies apart.</summary>
    public static byte[] ContentOf(Guid instanceId, string how) => System.Text.Encoding.UTF8.GetBytes($"root disk of {instanceId:D} ({how})");
}

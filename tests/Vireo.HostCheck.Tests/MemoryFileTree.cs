
namespace Vireo.HostCheck.Tests;

/// <summary>A tree of a few files in memory, for adapter tests that need one fact at a time.</summary>
internal sealed class MemoryFileTree : IHostFileTree
{
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStat> stats = new(StringComparer.Ordinal);

    public MemoryFileTree File(string path, string text)
    {
        files[path] = text;
        return this;
    }

    public MemoryFileTree Node(string path, int uid, int gid, int mode, NodeKind kind = NodeKind.CharacterDevice)
    {
        stats[path] = new FileStat(kind, uid, gid, mode);
        return this;
    }

    public string? ReadText(string path) => files.GetValueOrDefault(path);

    public bool FileExists(string path) => files.ContainsKey(path) || stats.ContainsKey(path);

    public bool DirectoryExists(string path) => files.Keys.Any(f => f.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal));

    public IReadOnlyList<string> List(string path)
    {
        var prefix = path.TrimEnd('/') + "/";
        return [.. files.Keys.Where(f => f.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => f[prefix.Length..].Split('/')[0]).Distinct().Order(StringComparer.Ordinal)];
    }

    public FileStat? Stat(string path) => stats.GetValueOrDefault(path) ?? (files.ContainsKey(path) ? new FileStat(NodeKind.Other, 0, 0, 0b110_100_100) : null);
}

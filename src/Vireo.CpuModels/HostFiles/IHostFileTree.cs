using System.Runtime.InteropServices;

namespace Vireo.CpuModels;

public enum NodeKind
{
    CharacterDevice,
    Other,
}

/// <summary>A file's type, owner and permission bits, as stat reports them.</summary>
public sealed record FileStat(NodeKind Kind, int Uid, int Gid, int Mode);

/// <summary>
/// Read-only access to a tree laid out like "/". Paths are absolute host paths ("/proc/cpuinfo");
/// an implementation maps them under its root. Fixture trees in tests implement <see cref="Stat"/>
/// from a manifest, since git keeps neither device nodes nor owners.
/// </summary>
public interface IHostFileTree
{
    /// <summary>The file's text, or null when it does not exist or cannot be read.</summary>
    string? ReadText(string path);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    /// <summary>Names of the entries of a directory (empty when it does not exist).</summary>
    IReadOnlyList<string> List(string path);

    /// <summary>stat of a path (not following a final symlink is not needed here), or null when it does not exist.</summary>
    FileStat? Stat(string path);
}

/// <summary>The real file system under a root directory ("/" for this host).</summary>
public sealed partial class RootedFileTree(string root) : IHostFileTree
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Map(string path) => Path.Join(Root, path.TrimStart('/'));

    public string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(Map(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public bool FileExists(string path) => File.Exists(Map(path)) || Stat(path) is { Kind: NodeKind.CharacterDevice };

    public bool DirectoryExists(string path) => Directory.Exists(Map(path));

    public IReadOnlyList<string> List(string path)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(Map(path)).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public FileStat? Stat(string path)
    {
        var buffer = new byte[256];
        // statx(2): its struct layout is the same on every architecture, unlike struct stat.
        if (statx(-100 /* AT_FDCWD */, Map(path), 0, 0x7 /* TYPE|MODE|NLINK */ | 0x8 /* UID */ | 0x10 /* GID */, buffer) != 0)
        {
            return null;
        }

        var uid = BitConverter.ToInt32(buffer, 20);
        var gid = BitConverter.ToInt32(buffer, 24);
        var mode = BitConverter.ToUInt16(buffer, 28);
        var kind = (mode & 0xF000) == 0x2000 ? NodeKind.CharacterDevice : NodeKind.Other;
        return new FileStat(kind, uid, gid, mode & 0xFFF);
    }

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);
}

using System.Buffers.Binary;
using System.Text;

namespace Vireo.Storage.Cache;

/// <summary>
/// The backing file a qcow2 image names, read from its header and nothing else (QEMU's
/// docs/interop/qcow2.txt: bytes 0-3 magic "QFI\xfb", 4-7 version, 8-15 backing_file_offset,
/// 16-19 backing_file_size, at most 1023). No format is probed: a file whose first bytes are not
/// a qcow2 header names no backing file, and a raw disk that happens to start with one can only
/// make a base look used, never unused.
/// </summary>
public static class Qcow2BackingName
{
    /// <summary>The bytes of the header read: magic to backing_file_size.</summary>
    public const int HeaderLength = 20;

    private const uint Magic = 0x514649fb;
    private const int MaxNameLength = 1023;

    /// <summary>The backing file name as written in the header; null when there is none or the file is not qcow2.</summary>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    public static string? Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        Span<byte> head = stackalloc byte[HeaderLength];
        if (file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length
            || BinaryPrimitives.ReadUInt32BigEndian(head) != Magic)
        {
            return null;
        }

        var offset = BinaryPrimitives.ReadUInt64BigEndian(head[8..]);
        var size = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
        if (offset == 0 || size == 0 || size > MaxNameLength || (ulong)file.Length < size || offset > (ulong)file.Length - size)
        {
            return null;
        }

        var name = new byte[size];
        file.Position = (long)offset;
        return file.ReadAtLeast(name, name.Length, throwOnEndOfStream: false) == name.Length ? Encoding.UTF8.GetString(name) : null;
    }
}

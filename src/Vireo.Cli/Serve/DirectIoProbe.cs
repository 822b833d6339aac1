using System.Runtime.InteropServices;

namespace Vireo.Cli.Serve;

/// <summary>
/// Whether a directory's file system accepts O_DIRECT (tmpfs does not). Nova makes the same probe
/// to choose the disk cache mode: cache='none' needs O_DIRECT, or QEMU cannot open the disk.
/// </summary>
public static partial class DirectIoProbe
{
    private const int ORdwr = 0x2;
    private const int OCreat = 0x40;
    private const int ODirect = 0x4000; // x86_64 and aarch64 Linux value

    public static bool Supports(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $".directio_test.{Environment.ProcessId}");
        var fd = open(path, ORdwr | OCreat | ODirect, Convert.ToUInt32("600", 8));
        try
        {
            return fd >= 0;
        }
        finally
        {
            if (fd >= 0)
            {
                _ = close(fd);
            }
            File.Delete(path);
        }
    }

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string pathname, int flags, uint mode);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}

using Vireo.Core.Ports;

namespace Vireo.Testing;

/// <summary>Tests of the file backends read a disk's path; any other source fails the test that assumed a file.</summary>
public static class GuestDiskPaths
{
    /// <summary>The path of a disk in a file; throws for a block or network disk.</summary>
    public static string FilePath(this GuestDisk disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        return disk.Source is DiskSource.File file
            ? file.Path
            : throw new InvalidOperationException($"the {disk.Role} disk is {disk.Source.Describe()}, not a file");
    }
}

namespace Vireo.Storage;

/// <summary>
/// File modes for what the storage layer creates. Vireo runs on Linux hosts only (KVM);
/// the guard keeps the platform analyzer satisfied without marking the whole assembly.
/// </summary>
internal static class UnixFiles
{
    /// <summary>rwx------: the image store is the service's alone.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------: a file being written.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>r--r-----: stored image bytes never change.</summary>
    public const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead;

    /// <summary>rw-r--r--: base images and disks QEMU (possibly another user) must read.</summary>
    public const UnixFileMode SharedFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>rwxr-xr-x: instance and base directories QEMU must traverse.</summary>
    public const UnixFileMode SharedDirectory = PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw NotOnWindows();
        }

        Directory.CreateDirectory(path, mode);
    }

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw NotOnWindows();
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Options for a new file that must not exist yet.</summary>
    public static FileStreamOptions CreateNew(UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw NotOnWindows();
        }

        return new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = mode,
        };
    }

    private static PlatformNotSupportedException NotOnWindows() => new("Vireo's storage runs on Linux hosts only");
}

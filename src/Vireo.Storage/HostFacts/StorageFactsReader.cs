using System.ComponentModel;
using System.Runtime.InteropServices;
using Vireo.Configuration.Options;
using Vireo.Core;

namespace Vireo.Storage.HostFacts;

/// <summary>
/// Reads the configured images_type's prerequisites on this host: qemu-img, the instances
/// directory (writable, O_DIRECT), and for lvm the volume group, for rbd the Ceph configuration
/// and pool. It creates nothing that stays: the O_DIRECT test file is removed at once. vgs and
/// ceph run through <see cref="ProcessRunner"/> like every child of the service.
/// </summary>
public static partial class StorageFactsReader
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>vgs and ceph (a Python program with librados' threads) fit well within these.</summary>
    internal static readonly ProcessLimits CommandLimits = new(CpuSeconds: 10, AddressSpaceBytes: 4L << 30);

    private static readonly ProcessRunner Runner = new("prlimit");

    /// <param name="root">Where the host's files are looked up ("/" except in tests); programs found there are run by their host path.</param>
    public static async Task<StorageFacts> ReadAsync(StorageFactsRequest request, string root, IEnumerable<string> searchPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(searchPath);
        var path = searchPath.ToList();
        return new StorageFacts
        {
            QemuImg = FindProgram(root, "qemu-img", path),
            InstancesPath = ReadDirectory(request.InstancesPath),
            Lvm = request.ImagesType == ImagesType.Lvm ? await ReadLvmAsync(request, root, path, cancellationToken).ConfigureAwait(false) : null,
            Rbd = request.ImagesType == ImagesType.Rbd ? await ReadRbdAsync(request, root, path, cancellationToken).ConfigureAwait(false) : null,
        };
    }

    /// <summary>The directories of $PATH (with the sbin directories root has, where lvm and ceph tools live).</summary>
    public static IReadOnlyList<string> SearchPath() =>
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Distinct(StringComparer.Ordinal)];

    /// <summary>The first of <paramref name="directories"/> holding <paramref name="program"/>, as a host path.</summary>
    public static string? FindProgram(string root, string program, IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(directories);
        return directories.Select(d => d.TrimEnd('/') + "/" + program).FirstOrDefault(p => File.Exists(Under(root, p)));
    }

    private static string Under(string root, string path) => Path.Join(Path.GetFullPath(root), path.TrimStart('/'));

    internal static DirectoryFacts ReadDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var (writable, directIo, error) = TryFiles(full);
            return new DirectoryFacts(full, true, writable, directIo, Error: error);
        }

        var ancestor = Path.GetDirectoryName(full);
        while (ancestor is not null && !Directory.Exists(ancestor))
        {
            ancestor = Path.GetDirectoryName(ancestor);
        }

        if (ancestor is null)
        {
            return new DirectoryFacts(full, false, false, null, Error: "no ancestor directory exists");
        }

        var (ancestorWritable, ancestorDirectIo, ancestorError) = TryFiles(ancestor);
        return new DirectoryFacts(full, false, ancestorWritable, ancestorDirectIo, ancestor, ancestorError);
    }

    /// <summary>False when the probe file could not be removed (when nothing was created, there is nothing to remove).</summary>
    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether an existing directory accepts O_DIRECT (tmpfs does not): cache='none' needs it, or QEMU
    /// cannot open the disk. `vireo serve` uses this to choose the disk cache mode, as Nova does.
    /// </summary>
    public static bool SupportsDirectIo(string directory) => TryFiles(directory).DirectIo == true;

    /// <summary>Creates a file with O_DIRECT, then without, and removes it: Nova's probe for the disk cache mode.</summary>
    private static (bool Writable, bool? DirectIo, string? Error) TryFiles(string directory)
    {
        var probe = Path.Combine(directory, $".vireo-host-check.{Environment.ProcessId}");
        try
        {
            var fd = open(probe, ORdwr | OCreat | ODirect, 0x180 /* 0600 */);
            if (fd >= 0)
            {
                _ = close(fd);
                return (true, true, null);
            }

            var errno = Marshal.GetLastPInvokeError();
            fd = open(probe, ORdwr | OCreat, 0x180);
            if (fd >= 0)
            {
                _ = close(fd);
                return (true, false, null);
            }

            return (false, null, new Win32Exception(errno).Message);
        }
        finally
        {
            _ = TryDelete(probe);
        }
    }

    private static async Task<LvmFacts> ReadLvmAsync(StorageFactsRequest request, string root, List<string> path, CancellationToken cancellationToken)
    {
        // lvcreate needs the kernel's device-mapper, whose control node is /dev/mapper/control.
        var deviceMapper = File.Exists(Under(root, "/dev/mapper/control"));
        if (FindProgram(root, "vgs", path) is not { } vgs)
        {
            return new LvmFacts(request.VolumeGroup, null, "vgs is not installed") { DeviceMapper = deviceMapper };
        }

        var (exit, output, error) = await RunAsync(vgs, ["--noheadings", "-o", "vg_name"], cancellationToken).ConfigureAwait(false);
        return exit == 0
            ? new LvmFacts(request.VolumeGroup, [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], null) { DeviceMapper = deviceMapper }
            : new LvmFacts(request.VolumeGroup, null, $"vgs exited {exit}: {error.Trim()}") { DeviceMapper = deviceMapper };
    }

    private static async Task<RbdFacts> ReadRbdAsync(StorageFactsRequest request, string root, List<string> path, CancellationToken cancellationToken)
    {
        var conf = request.CephConf;
        var confExists = File.Exists(Under(root, conf));
        // Debian's qemu-block-extra: /usr/lib/<multiarch>/qemu/block-rbd.so.
        var driver = Subdirectories(Under(root, "/usr/lib")).Any(d => File.Exists(Under(root, $"/usr/lib/{d}/qemu/block-rbd.so")))
            || File.Exists(Under(root, "/usr/lib64/qemu/block-rbd.so"));
        if (!confExists)
        {
            return new RbdFacts(conf, false, request.RbdPool, null, null, driver);
        }

        if (FindProgram(root, "ceph", path) is not { } ceph)
        {
            return new RbdFacts(conf, true, request.RbdPool, null, "the ceph command is not installed (ceph-common)", driver);
        }

        var (exit, output, error) = await RunAsync(ceph, ["--conf", conf, "--connect-timeout", "5", "osd", "pool", "ls"], cancellationToken).ConfigureAwait(false);
        return exit == 0
            ? new RbdFacts(conf, true, request.RbdPool, [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], null, driver)
            : new RbdFacts(conf, true, request.RbdPool, null, $"ceph osd pool ls exited {exit}: {error.Trim()}", driver);
    }

    private static IEnumerable<string> Subdirectories(string directory)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(directory).Select(d => Path.GetFileName(d))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// A program by its absolute host path through <see cref="ProcessRunner"/> (prlimit, cleared
    /// environment, bounded output), killed at <see cref="CommandTimeout"/>. A program that cannot
    /// be run is an answer (exit -1 and why), not a failure: the facts say what could not be read.
    /// </summary>
    internal static async Task<(int Exit, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CommandTimeout);
        try
        {
            var result = await Runner.RunAsync(program, args, CommandLimits, onOutput: null, deadline.Token).ConfigureAwait(false);
            return (result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (-1, "", $"no answer within {CommandTimeout.TotalSeconds:0} s");
        }
        catch (VireoException e) when (e.Kind == ErrorKind.Configuration)
        {
            return (-1, "", e.Message);
        }
    }

    private const int ORdwr = 0x2;
    private const int OCreat = 0x40;

    /// <summary>O_DIRECT differs by architecture (asm-generic 040000 on x86; 0200000 on arm64; 0400000 on powerpc).</summary>
    private static readonly int ODirect = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        Architecture.Ppc64le => 0x20000,
        _ => 0x4000,
    };

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string pathname, int flags, uint mode);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}

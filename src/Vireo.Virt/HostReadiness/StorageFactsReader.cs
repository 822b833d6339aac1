using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Vireo.Configuration.Options;

namespace Vireo.Virt.HostReadiness;

/// <summary>
/// Reads the configured images_type's prerequisites on this host: qemu-img, the instances
/// directory (writable, O_DIRECT), and for lvm the volume group, for rbd the Ceph configuration
/// and pool. It creates nothing that stays: the O_DIRECT test file is removed at once.
/// </summary>
public static partial class StorageFactsReader
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    public static StorageFacts Read(HostCheckConfig config, IHostFileTree tree, IEnumerable<string> searchPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tree);
        var path = searchPath.ToList();
        return new StorageFacts
        {
            QemuImg = HostFileReader.FindProgram(tree, "qemu-img", path),
            InstancesPath = ReadDirectory(config.InstancesPath),
            Lvm = config.ImagesType == ImagesType.Lvm ? ReadLvm(config, tree, path) : null,
            Rbd = config.ImagesType == ImagesType.Rbd ? ReadRbd(config, tree, path) : null,
        };
    }

    /// <summary>The directories of $PATH (with the sbin directories root has, where lvm and ceph tools live).</summary>
    public static IReadOnlyList<string> SearchPath() =>
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Distinct(StringComparer.Ordinal)];

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

    /// <summary>
    /// Whether an existing directory accepts O_DIRECT (tmpfs does not): cache='none' needs it, or QEMU
    /// cannot open the disk. `vireo serve` uses this to choose the disk cache mode, as Nova does.
    /// </summary>
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

    private static LvmFacts ReadLvm(HostCheckConfig config, IHostFileTree tree, List<string> path)
    {
        if (HostFileReader.FindProgram(tree, "vgs", path) is not { } vgs)
        {
            return new LvmFacts(config.ImagesVolumeGroup, null, "vgs is not installed");
        }

        var (exit, output, error) = Run(vgs, ["--noheadings", "-o", "vg_name"]);
        return exit == 0
            ? new LvmFacts(config.ImagesVolumeGroup, [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], null)
            : new LvmFacts(config.ImagesVolumeGroup, null, $"vgs exited {exit}: {error.Trim()}");
    }

    private static RbdFacts ReadRbd(HostCheckConfig config, IHostFileTree tree, List<string> path)
    {
        var conf = config.EffectiveCephConf;
        var confExists = tree.FileExists(conf);
        // Debian's qemu-block-extra: /usr/lib/<multiarch>/qemu/block-rbd.so.
        var driver = tree.List("/usr/lib").Any(d => tree.FileExists($"/usr/lib/{d}/qemu/block-rbd.so"))
            || tree.FileExists("/usr/lib64/qemu/block-rbd.so");
        if (!confExists)
        {
            return new RbdFacts(conf, false, config.ImagesRbdPool, null, null, driver);
        }

        if (HostFileReader.FindProgram(tree, "ceph", path) is not { } ceph)
        {
            return new RbdFacts(conf, true, config.ImagesRbdPool, null, "the ceph command is not installed (ceph-common)", driver);
        }

        var (exit, output, error) = Run(ceph, ["--conf", conf, "--connect-timeout", "5", "osd", "pool", "ls"]);
        return exit == 0
            ? new RbdFacts(conf, true, config.ImagesRbdPool, [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], null, driver)
            : new RbdFacts(conf, true, config.ImagesRbdPool, null, $"ceph osd pool ls exited {exit}: {error.Trim()}", driver);
    }

    internal static (int Exit, string Output, string Error) Run(string program, IEnumerable<string> args)
    {
        // As every child of the service: by absolute path (FindProgram), with a minimal environment
        // (nothing of the service's own, no secrets), its output read up to a bound, killed at a deadline.
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        info.Environment["LC_ALL"] = "C";
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = ReadBoundedAsync(process.StandardOutput);
            var error = ReadBoundedAsync(process.StandardError);
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"no answer within {CommandTimeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, output.Result, error.Result);
        }
        catch (Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }

    /// <summary>At most <see cref="MaxOutputChars"/> of a stream; the rest is read and dropped so the child never blocks on a full pipe.</summary>
    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            kept.Append(buffer, 0, Math.Min(read, Math.Max(0, MaxOutputChars - kept.Length)));
        }

        return kept.ToString();
    }

    private const int MaxOutputChars = 1 << 20;

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

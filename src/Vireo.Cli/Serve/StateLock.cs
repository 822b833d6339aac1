using System.Globalization;
using System.Text;
using Vireo.Core;

namespace Vireo.Cli.Serve;

/// <summary>
/// One service per state_path: <c>&lt;state_path&gt;/vireo.lock</c> held with a record lock for the
/// service's whole life, holding its pid. Taken before anything under state_path is touched (the
/// database, the leftovers of killed imports, the uploads a killed service left saving), so a second
/// <c>vireo serve</c> on the same state cannot remove the first one's in-flight files.
/// </summary>
/// <remarks>
/// The file is opened shareable and locked with <see cref="FileStream.Lock"/> (fcntl), not with
/// <see cref="FileShare.None"/> (flock): a refused process must still read the holder's pid for its
/// message. The kernel drops the lock when the holder dies, so a killed service leaves no stale lock.
/// </remarks>
public sealed class StateLock : IDisposable
{
    public const string FileName = "vireo.lock";

    private readonly FileStream _file;

    private StateLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>
    /// Takes the lock on <paramref name="statePath"/> and writes this process's pid into it.
    /// Unavailable (exit 69) when another process holds it; the message names that process's pid.
    /// </summary>
    public static StateLock Acquire(string statePath)
    {
        if (OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("vireo serve runs on Linux: it needs libvirt with QEMU and fcntl record locks");
        }

        var path = System.IO.Path.Combine(statePath, FileName);
        FileStream file;
        try
        {
            Directory.CreateDirectory(statePath);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VireoException(
                ErrorKind.Configuration,
                $"cannot open {path} ({e.Message}); [DEFAULT] state_path = {statePath} must be a directory the service's user can write",
                e);
        }

        try
        {
            try
            {
                file.Lock(0, 1);
            }
            catch (IOException)
            {
                var holder = ReadPid(file);
                throw new VireoException(
                    ErrorKind.Unavailable,
                    $"another vireo serve (pid {holder ?? "unknown"}) is running on state_path {statePath} (it holds {path}); stop it first or give this one its own [DEFAULT] state_path");
            }

            file.SetLength(0);
            file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
            return new StateLock(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock; the pid stays in the file (the lock, not the file, says who runs).</summary>
    public void Dispose() => _file.Dispose();

    private static string? ReadPid(FileStream file)
    {
        file.Position = 0;
        var buffer = new byte[32];
        var read = file.Read(buffer);
        var text = Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid.ToString(CultureInfo.InvariantCulture) : null;
    }
}

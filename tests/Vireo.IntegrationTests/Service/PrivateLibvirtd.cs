using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// A libvirtd of the test's own (scripts/private-libvirtd: own mount and UTS namespace, own
/// run/state/config dirs, own virtlogd and socket), so a test can stop or hang it without touching
/// the shared one at qemu:///system. Dispose resumes it, destroys and undefines its guests, stops it.
/// </summary>
public sealed class PrivateLibvirtd : IAsyncDisposable
{
    private readonly StringBuilder log = new();
    private readonly Process process;

    private PrivateLibvirtd(string root, Process process)
    {
        Root = root;
        this.process = process;
    }

    public string Root { get; }

    public string Uri => $"qemu+unix:///system?socket={Root}/run/libvirt/libvirt-sock";

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    /// <summary>libvirtd's pid (the daemon itself, not tini or virtlogd).</summary>
    public int DaemonPid => ReadPid("libvirtd.pid") ?? throw new InvalidOperationException($"{Root}/run/libvirtd.pid names no process: {Log}");

    public static async Task<PrivateLibvirtd> StartAsync(TimeSpan deadline)
    {
        // Short: the socket path must fit a unix socket address (108 bytes).
        var root = Directory.CreateTempSubdirectory("vireo-lvd-").FullName;
        var info = new ProcessStartInfo(Path.Combine(TestImage.RepositoryRoot, "scripts", "private-libvirtd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(root);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start scripts/private-libvirtd");
        var daemon = new PrivateLibvirtd(root, process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!daemon.Answers())
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"scripts/private-libvirtd exited with {process.ExitCode}: {daemon.Log}");
                }

                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"the private libvirtd did not answer within {deadline}: {daemon.Log}");
                }

                await Task.Delay(250);
            }

            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGSTOP: the daemon keeps its socket and connections but answers nothing, as a hung libvirtd.</summary>
    public void Pause() => Signal("-STOP", DaemonPid);

    public void Resume()
    {
        if (ReadPid("libvirtd.pid") is { } pid)
        {
            Signal("-CONT", pid);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Resume();
        try
        {
            if (Answers())
            {
                using var connection = Connection.Open(Uri);
                foreach (var domain in connection.ListAllDomains())
                {
                    var uuid = domain.Uuid;
                    domain.Dispose();
                    BootTestImageTests.Cleanup(connection, uuid);
                }
            }
        }
        finally
        {
            await StopAsync();
        }
    }

    private async Task StopAsync()
    {
        if (ReadPid("libvirtd.pid") is { } daemon)
        {
            Signal("-TERM", daemon);
        }

        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // What outlives libvirtd: its virtlogd, and QEMU processes of guests it could not destroy.
        var qemuPids = Directory.Exists(Path.Combine(Root, "run", "libvirt", "qemu"))
            ? Directory.GetFiles(Path.Combine(Root, "run", "libvirt", "qemu"), "*.pid").Select(ReadPidFile)
            : [];
        foreach (var pid in qemuPids.Append(ReadPid("virtlogd.pid")).OfType<int>())
        {
            Signal("-TERM", pid);
        }

        process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A socket or log still held by a process on its way out; the temp folder is reclaimed later.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private bool Answers()
    {
        try
        {
            using var connection = Connection.Open(Uri);
            _ = connection.LibraryVersion;
            return true;
        }
        catch (LibvirtException)
        {
            return false;
        }
    }

    private int? ReadPid(string file) => ReadPidFile(Path.Combine(Root, "run", file));

    private static int? ReadPidFile(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}")
                ? pid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot run kill");
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}

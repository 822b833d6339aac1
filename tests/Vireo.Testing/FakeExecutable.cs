using System.Diagnostics;

namespace Vireo.Testing;

/// <summary>
/// Writes a shell script that tests run as a fake tool (rbd, qemu-img).
/// <para>
/// Writing an executable in this process and running it at once races with every other test
/// that starts a process: a child forked while the write handle is open keeps it until its own
/// exec, and exec of a file open for writing fails with ETXTBSY ("Text file busy"; execve(2)).
/// So the text is written to a side file this process never runs, and the executable is made by
/// a child (<c>install -m 0700</c>) that holds the only write handle of the file that runs.
/// </para>
/// </summary>
public static class FakeExecutable
{
    /// <summary>Makes <paramref name="path"/> an executable holding <paramref name="script"/>, replacing what was there.</summary>
    public static void Write(string path, string script)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(script);
        var text = path + ".text-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(text, script);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/install") { RedirectStandardError = true };
            foreach (var argument in new[] { "-m", "0700", text, path })
            {
                start.ArgumentList.Add(argument);
            }

            using var install = Process.Start(start) ?? throw new InvalidOperationException("install did not start");
            var error = install.StandardError.ReadToEnd();
            install.WaitForExit();
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"install -m 0700 {text} {path} failed ({install.ExitCode}): {error}");
            }
        }
        finally
        {
            File.Delete(text);
        }
    }
}

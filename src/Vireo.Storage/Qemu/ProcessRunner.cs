using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Vireo.Storage.Qemu;

/// <summary>What a finished child process left behind.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a program with an argument array (never through a shell) and collects its output.
/// Cancellation kills the child.
/// </summary>
internal static class ProcessRunner
{
    /// <param name="onOutput">Receives standard output as it arrives, chunk by chunk (for progress lines ending in '\r').</param>
    /// <exception cref="Win32Exception">The program could not be started (typically: not found).</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, Action<string>? onOutput, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Messages are parsed and quoted; keep them in one language.
        startInfo.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        process.StandardInput.Close();

        var stdout = ReadAllAsync(process.StandardOutput, onOutput);
        var stderr = ReadAllAsync(process.StandardError, onChunk: null);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = TryKill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static async Task<string> ReadAllAsync(StreamReader reader, Action<string>? onChunk)
    {
        var all = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var chunk = new string(buffer, 0, read);
            all.Append(chunk);
            onChunk?.Invoke(chunk);
        }

        return all.ToString();
    }

    /// <summary>Kills the child and its children; false when it had already gone (or is not ours to kill any more).</summary>
    private static bool TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            return true;
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception)
        {
            return false;
        }
    }
}

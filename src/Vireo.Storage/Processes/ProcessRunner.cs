using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Vireo.Core;

namespace Vireo.Storage;

/// <summary>What a finished child process left behind (each stream bounded, see <see cref="ProcessRunner"/>).</summary>
/// <param name="StandardOutput">The head of standard output.</param>
/// <param name="StandardError">The tail of standard error.</param>
/// <param name="OutputTruncated">True when standard output was longer than the limit and was cut.</param>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool OutputTruncated = false);

/// <summary>
/// The one way the storage layer runs a program: by absolute path, with an argument array (never a
/// shell), under <c>prlimit</c> with CPU and address-space limits, with an environment of its own
/// (<see cref="Environment"/>: nothing of the service's is passed on), no standard input, and each
/// output stream read to the end but kept only up to a limit. Cancellation kills the child.
/// </summary>
internal sealed class ProcessRunner
{
    /// <summary>1 MiB of characters per stream.</summary>
    public const int DefaultOutputLimit = 1 << 20;

    private readonly string _prlimitSetting;
    private readonly int _outputLimit;
    private string? _prlimit;

    /// <param name="prlimit">prlimit's name or absolute path (resolved on first use, then kept).</param>
    public ProcessRunner(string prlimit, int outputLimit = DefaultOutputLimit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prlimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputLimit);
        _prlimitSetting = prlimit;
        _outputLimit = outputLimit;
    }

    /// <summary>
    /// The whole environment of every child: the system PATH and the C locale (messages are parsed
    /// and quoted, so they stay in one language). qemu-img needs nothing else.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = Executables.SearchPath,
        ["LC_ALL"] = "C",
    };

    /// <summary>prlimit's absolute path; <see cref="ErrorKind.Configuration"/> naming util-linux when it is missing.</summary>
    public string PrlimitPath => _prlimit ??= Executables.Resolve(_prlimitSetting, "util-linux", "the prlimit path");

    /// <summary><c>prlimit --cpu=N --as=N -- program arguments...</c>.</summary>
    public static IReadOnlyList<string> PrlimitArguments(ProcessLimits limits, string program, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(arguments);
        return [.. limits.PrlimitOptions, "--", program, .. arguments];
    }

    /// <summary>How the child is started: prlimit by absolute path, the limits, the program, its arguments, <see cref="Environment"/> only.</summary>
    public static ProcessStartInfo StartInfo(string prlimitPath, ProcessLimits limits, string program, IReadOnlyList<string> arguments)
    {
        RequireAbsolute(prlimitPath);
        RequireAbsolute(program);
        var startInfo = new ProcessStartInfo(prlimitPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = "/",
        };
        foreach (var argument in PrlimitArguments(limits, program, arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    /// <param name="program">The program's absolute path (see <see cref="Executables.Resolve"/>).</param>
    /// <param name="onOutput">Receives standard output as it arrives, chunk by chunk (for progress lines ending in '\r'), whatever is kept.</param>
    /// <exception cref="VireoException"><see cref="ErrorKind.Configuration"/>: prlimit is missing or cannot be started.</exception>
    public async Task<ProcessResult> RunAsync(
        string program, IReadOnlyList<string> arguments, ProcessLimits limits, Action<string>? onOutput, CancellationToken cancellationToken)
    {
        var startInfo = StartInfo(PrlimitPath, limits, program, arguments);
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new VireoException(
                ErrorKind.Configuration,
                $"cannot run '{startInfo.FileName}' ({exception.Message}); install the Debian package util-linux or set the prlimit path",
                exception);
        }

        process.StandardInput.Close();
        var stdout = ReadAllAsync(process.StandardOutput, new BoundedText(_outputLimit, keepTail: false), onOutput);
        var stderr = ReadAllAsync(process.StandardError, new BoundedText(_outputLimit, keepTail: true), onChunk: null);
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

        var output = await stdout.ConfigureAwait(false);
        return new ProcessResult(process.ExitCode, output.ToString(), (await stderr.ConfigureAwait(false)).ToString(), output.Truncated);
    }

    private static async Task<BoundedText> ReadAllAsync(StreamReader reader, BoundedText text, Action<string>? onChunk)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer.AsSpan(0, read));
            onChunk?.Invoke(new string(buffer, 0, read));
        }

        return text;
    }

    private static void RequireAbsolute(string path, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(path))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, name);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"child processes are started by absolute path only; got '{path}'", name);
        }
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

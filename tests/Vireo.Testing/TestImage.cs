using System.Diagnostics;

namespace Vireo.Testing;

/// <summary>
/// The bootable test image from scripts/build-test-image: taken from VIREO_TEST_IMAGE when the
/// test command already built it, otherwise built (or found in its cache) now.
/// </summary>
public static class TestImage
{
    /// <summary>The line the guest prints on its serial console once it is up (scripts/build-test-image).</summary>
    public const string BootMarker = "VIREO-TEST-IMAGE BOOTED";

    private static readonly Lazy<string> Path = new(Locate);

    public static string Qcow2Path => Path.Value;

    public static string RepositoryRoot => RepositoryPaths.RepositoryRoot;

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("VIREO_TEST_IMAGE");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }
        var script = System.IO.Path.Combine(RepositoryRoot, "scripts", "build-test-image");
        var result = Processes.Run(script, [], TimeSpan.FromMinutes(15));
        var last = result.StandardOutput.TrimEnd().Split('\n')[^1].Trim();
        return File.Exists(last) ? last : throw new InvalidOperationException($"scripts/build-test-image did not print an image path (last line: '{last}')");
    }
}

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

public static class Processes
{
    /// <summary>Runs a program with an argument array (never a shell string) and fails on a non-zero exit.</summary>
    public static ProcessResult Run(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}");
        }
        var result = new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError.Trim()}");
    }
}

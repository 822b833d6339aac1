using System.Diagnostics;

namespace Vireo.Virt.Tests.Integration;

/// <summary>
/// The bootable test image: VIREO_TEST_IMAGE when set (the test command builds it once), otherwise
/// what scripts/build-test-image prints as its last line (it reuses its cache when the inputs are unchanged).
/// </summary>
internal static class TestImage
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("VIREO_TEST_IMAGE");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"VIREO_TEST_IMAGE={fromEnvironment} does not exist; unset it or run scripts/build-test-image");
        }

        var script = System.IO.Path.Combine(TestSupport.RepoPaths.RepositoryRoot, "scripts", "build-test-image");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing; the booted-guest tests need the test image it builds (or set VIREO_TEST_IMAGE)");
        }

        var info = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {script}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 15 minutes");
        }

        var last = stdout.TrimEnd().Split('\n')[^1].Trim();
        return process.ExitCode == 0 && File.Exists(last)
            ? last
            : throw new InvalidOperationException($"{script} exited {process.ExitCode} without an image path: {stderr.Result}");
    }
}

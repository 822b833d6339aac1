using System.Diagnostics;

namespace Vireo.DomainXml.Tests.TestSupport;

/// <summary>
/// virsh against libvirt's in-process test:///default driver: no daemon, nothing persists, yet
/// the real libvirt parser, RNG validation and formatter. Tests skip when libvirt-clients is absent.
/// </summary>
internal static class TestDriverVirsh
{
    private const string VirshPath = "/usr/bin/virsh";

    public static void SkipUnlessInstalled() =>
        Assert.SkipUnless(File.Exists(VirshPath), "virsh is not installed (Debian package libvirt-clients)");

    /// <summary>Runs the commands in one virsh session (the test driver's state lives only that long).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string commands)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var process = Process.Start(new ProcessStartInfo(VirshPath, ["-q", "-c", "test:///default", commands])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("virsh did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var stdout = await process.StandardOutput.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, stdout + await stderr);
    }
}

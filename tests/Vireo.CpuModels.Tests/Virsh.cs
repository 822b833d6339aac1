using System.Diagnostics;

namespace Vireo.CpuModels.Tests;

/// <summary>
/// Runs virsh against this host's libvirtd (scripts/setup-host starts it): the reference the
/// offline CPU computations must agree with.
/// </summary>
internal static class Virsh
{
    public const string Uri = "qemu:///system";

    /// <summary>virsh's answer: its stdout on success, else null and its error line.</summary>
    public static (string? Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("virsh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Uri);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("virsh did not start; run scripts/setup-host to install libvirt");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? (output.Result, error.Trim()) : (null, error.Trim());
    }

    /// <summary>Writes the XML to a temporary file, runs virsh on it and deletes the file.</summary>
    public static (string? Output, string Error) RunOnFile(string xml, params string[] arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"vireo-cpu-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, xml);
        try
        {
            return Run([.. arguments, file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static string HostCapabilities() =>
        Run("capabilities").Output ?? throw new InvalidOperationException("virsh capabilities failed; run scripts/setup-host to start libvirtd");
}

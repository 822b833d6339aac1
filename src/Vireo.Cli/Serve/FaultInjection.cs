using System.Diagnostics;
using Vireo.Core.Ports;

namespace Vireo.Cli.Serve;

/// <summary>
/// Crash tests: VIREO_FAULT_KILL_AT=&lt;step&gt; (one of FaultSteps) makes the service SIGKILL itself
/// right after that step, as a power cut or OOM kill would. Unset in production.
/// </summary>
public static class FaultInjection
{
    public const string Variable = "VIREO_FAULT_KILL_AT";

    public static IFaultPoints FromEnvironment()
    {
        var step = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(step))
        {
            return FaultPoints.None;
        }
        return FaultPoints.At(step, () =>
        {
            Console.Error.WriteLine($"vireo: {Variable}={step}: killing the service with SIGKILL");
            Process.GetCurrentProcess().Kill(); // SIGKILL: no cleanup, no finally blocks
        });
    }
}

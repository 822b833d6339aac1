using System.Diagnostics;
using Vireo.Core.Ports;

namespace Vireo.Cli.Serve;

/// <summary>
/// Crash tests: VIREO_FAULT_KILL_AT=&lt;step&gt; (one of FaultSteps) makes the service SIGKILL itself
/// right after that step, as a power cut or OOM kill would. Start-up tests:
/// VIREO_FAULT_RECONCILE_DELAY_SECONDS=&lt;n&gt; holds start-up reconciliation for n seconds before
/// it reads its facts, as a slow libvirt or a host with many guests would. Unset in production.
/// </summary>
public static class FaultInjection
{
    public const string Variable = "VIREO_FAULT_KILL_AT";

    public const string ReconcileDelayVariable = "VIREO_FAULT_RECONCILE_DELAY_SECONDS";

    /// <summary>How long start-up reconciliation waits before it starts (zero unless the variable says otherwise).</summary>
    public static TimeSpan ReconcileDelayFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable(ReconcileDelayVariable), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;

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

using System.Diagnostics;
using System.Globalization;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Cli.Serve;

/// <summary>
/// Fault injection for tests, all in one environment variable, <c>VIREO_FAULT</c>, holding
/// <c>key=value</c> settings separated by <c>;</c>, e.g. <c>VIREO_FAULT="kill-at=create.guest-defined;reconcile-delay=45"</c>.
/// <c>kill-at=&lt;step&gt;</c> (one of <see cref="FaultSteps"/>) makes the service SIGKILL itself right after
/// that step, as a power cut or OOM kill would; <c>reconcile-delay=&lt;seconds&gt;</c> (0-3600) holds start-up
/// reconciliation before it reads its facts, as a slow libvirt or a host with many guests would.
/// Unset in production.
/// </summary>
/// <param name="KillAt">The step after which the service kills itself; null: none.</param>
/// <param name="ReconcileDelay">How long start-up reconciliation waits before it starts.</param>
public sealed record FaultInjection(string? KillAt, TimeSpan ReconcileDelay)
{
    public const string Variable = "VIREO_FAULT";

    public const string KillAtKey = "kill-at";

    public const string ReconcileDelayKey = "reconcile-delay";

    private const string Example = $"{Variable}=\"{KillAtKey}=create.guest-defined;{ReconcileDelayKey}=45\"";

    /// <summary>No fault anywhere (the variable unset or empty).</summary>
    public static FaultInjection None { get; } = new(null, TimeSpan.Zero);

    /// <summary>True when any fault is armed.</summary>
    public bool IsArmed => KillAt is not null || ReconcileDelay > TimeSpan.Zero;

    /// <summary>The settings in <see cref="Variable"/>; Configuration (exit 78) when its value is malformed.</summary>
    public static FaultInjection FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Parses a value of <see cref="Variable"/>; null or blank is <see cref="None"/>.</summary>
    /// <exception cref="VireoException">Configuration, naming the setting, the value and the accepted form.</exception>
    public static FaultInjection Parse(string? value)
    {
        var settings = None;
        if (string.IsNullOrWhiteSpace(value))
        {
            return settings;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed($"'{part}' is not key=value");
            }

            var key = part[..equals].Trim();
            var setting = part[(equals + 1)..].Trim();
            if (!seen.Add(key))
            {
                throw Malformed($"'{key}' is given twice");
            }

            settings = key switch
            {
                KillAtKey when FaultSteps.IsKnown(setting) => settings with { KillAt = setting },
                KillAtKey => throw Malformed($"{KillAtKey}='{setting}' is not a step; the steps are {string.Join(", ", FaultSteps.All)}"),
                ReconcileDelayKey when double.TryParse(setting, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 3600
                    => settings with { ReconcileDelay = TimeSpan.FromSeconds(seconds) },
                ReconcileDelayKey => throw Malformed($"{ReconcileDelayKey}='{setting}' is not a number of seconds from 0 to 3600"),
                _ => throw Malformed($"'{key}' is not a setting; the settings are {KillAtKey} and {ReconcileDelayKey}"),
            };
        }

        return settings;
    }

    /// <summary>The fault points for the compute service: a SIGKILL after <see cref="KillAt"/>, or none.</summary>
    public IFaultPoints FaultPoints()
    {
        if (KillAt is not { } step)
        {
            return Core.Ports.FaultPoints.None;
        }

        return Core.Ports.FaultPoints.At(step, () =>
        {
            Console.Error.WriteLine($"vireo: {Variable}: {KillAtKey}={step}: killing the service with SIGKILL");
            Process.GetCurrentProcess().Kill(); // SIGKILL: no cleanup, no finally blocks
        });
    }

    private static VireoException Malformed(string problem) =>
        new(ErrorKind.Configuration, $"{Variable}: {problem}; write it as {Example}, or unset it outside tests");
}

namespace Vireo.Core.Ports;

/// <summary>
/// Named points in multi-step operations where tests make the service fail or die.
/// Production wiring uses <see cref="FaultPoints.None"/>.
/// </summary>
public interface IFaultPoints
{
    /// <summary>Called when <paramref name="step"/> (one of <see cref="FaultSteps"/>) has just completed.</summary>
    void Reached(string step);
}

/// <summary>The steps of create and delete, named after what has just become true.</summary>
public static class FaultSteps
{
    public const string CreateRowWritten = "create.row-written";
    public const string CreateDiskMade = "create.disk-made";
    public const string CreateGuestDefined = "create.guest-defined";
    public const string CreateGuestStarted = "create.guest-started";

    public const string DeleteMarkedDeleting = "delete.marked-deleting";
    public const string DeleteGuestDestroyed = "delete.guest-destroyed";
    public const string DeleteGuestUndefined = "delete.guest-undefined";
    public const string DeleteFilesRemoved = "delete.files-removed";
    public const string DeleteRowDeleted = "delete.row-deleted";

    public static IReadOnlyList<string> Create { get; } =
        [CreateRowWritten, CreateDiskMade, CreateGuestDefined, CreateGuestStarted];

    public static IReadOnlyList<string> Delete { get; } =
        [DeleteMarkedDeleting, DeleteGuestDestroyed, DeleteGuestUndefined, DeleteFilesRemoved, DeleteRowDeleted];

    public static IReadOnlyList<string> All { get; } = [.. Create, .. Delete];

    public static bool IsKnown(string step) => All.Contains(step, StringComparer.Ordinal);
}

/// <summary>Ready-made <see cref="IFaultPoints"/>.</summary>
public static class FaultPoints
{
    /// <summary>Production: nothing happens at any step.</summary>
    public static IFaultPoints None { get; } = new NoFaults();

    /// <summary>
    /// <see cref="None"/> for an empty setting, else <see cref="At"/> the named step;
    /// an unknown step name is <see cref="ErrorKind.InvalidInput"/> listing the known ones.
    /// </summary>
    public static IFaultPoints FromSetting(string? setting, Action die) =>
        string.IsNullOrWhiteSpace(setting) ? None : At(setting.Trim(), die);

    /// <summary>
    /// Calls <paramref name="die"/> when <paramref name="step"/> is reached; the composition
    /// root passes e.g. <c>() =&gt; Environment.FailFast(...)</c> for crash tests.
    /// </summary>
    public static IFaultPoints At(string step, Action die)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(die);
        return FaultSteps.IsKnown(step)
            ? new AtStep(step, die)
            : throw VireoException.InvalidInput($"fault step '{step}' is unknown; use one of {string.Join(", ", FaultSteps.All)}");
    }

    private sealed class NoFaults : IFaultPoints
    {
        public void Reached(string step)
        {
        }
    }

    private sealed class AtStep(string target, Action die) : IFaultPoints
    {
        public void Reached(string step)
        {
            if (string.Equals(step, target, StringComparison.Ordinal))
            {
                die();
            }
        }
    }
}

using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>Thrown by <see cref="TestFaultPoints"/>; what a failing step looks like to the service.</summary>
public sealed class InjectedFaultException(string step) : Exception($"injected fault at {step}")
{
    public string Step { get; } = step;
}

/// <summary>
/// Fails at one named step. In <see cref="FaultMode.Fail"/> the step throws and the service
/// handles it like any failure (undo runs). In <see cref="FaultMode.Die"/> the simulated
/// process is frozen first, so nothing after the step reaches the fakes: a crash.
/// </summary>
public sealed class TestFaultPoints(string target, FaultMode mode, Freezable process) : IFaultPoints
{
    private readonly List<string> _reached = [];

    public IReadOnlyList<string> ReachedSteps => _reached;

    public bool Fired { get; private set; }

    public void Reached(string step)
    {
        _reached.Add(step);
        if (!string.Equals(step, target, StringComparison.Ordinal) || Fired)
        {
            return;
        }

        Fired = true;
        if (mode == FaultMode.Die)
        {
            process.Freeze();
        }

        throw new InjectedFaultException(step);
    }
}

public enum FaultMode
{
    Fail,
    Die,
}

/// <summary>Records the steps reached and never fails.</summary>
public sealed class RecordingFaultPoints : IFaultPoints
{
    public List<string> Steps { get; } = [];

    public void Reached(string step) => Steps.Add(step);
}

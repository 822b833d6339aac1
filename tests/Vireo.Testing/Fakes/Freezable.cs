namespace Vireo.Testing.Fakes;

/// <summary>
/// Shared by the fakes of one simulated host. <see cref="Freeze"/> models the process dying:
/// from then on every write fails, so whatever undo code still runs in the test process
/// changes nothing, and the state is exactly what a crash at that moment leaves behind.
/// </summary>
public sealed class Freezable
{
    public bool Frozen { get; private set; }

    public void Freeze() => Frozen = true;

    public void Thaw() => Frozen = false;

    public void EnsureAlive()
    {
        if (Frozen)
        {
            throw new InvalidOperationException("the process is dead (simulated crash)");
        }
    }
}

namespace Vireo.Core;

/// <summary>
/// Nova's <c>power_state</c>, what the hypervisor reports, with Nova's integer values
/// (<c>nova/compute/power_state.py</c>); the API shows the integer.
/// </summary>
public enum PowerState
{
    NoState = 0,
    Running = 1,
    Paused = 3,
    Shutdown = 4,
    Crashed = 6,
    Suspended = 7,
}

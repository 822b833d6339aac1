using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>libvirt domain states in Nova's power_state vocabulary (<c>nova/virt/libvirt/guest.py</c> LIBVIRT_POWER_STATE).</summary>
public static class PowerStates
{
    public static PowerState FromLibvirt(DomainState state) => state switch
    {
        DomainState.Running => PowerState.Running,
        // "blocked on resource": the guest is running, just not on a CPU right now.
        DomainState.Blocked => PowerState.Running,
        DomainState.Paused => PowerState.Paused,
        // Nova: "the domain is being shut down": still SHUTDOWN, as is shut off.
        DomainState.Shutdown => PowerState.Shutdown,
        DomainState.Shutoff => PowerState.Shutdown,
        DomainState.Crashed => PowerState.Crashed,
        DomainState.PmSuspended => PowerState.Suspended,
        _ => PowerState.NoState,
    };
}

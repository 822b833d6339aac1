using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests;

public sealed class PowerStatesTests
{
    [Theory]
    [InlineData(DomainState.NoState, PowerState.NoState)]
    [InlineData(DomainState.Running, PowerState.Running)]
    [InlineData(DomainState.Blocked, PowerState.Running)]
    [InlineData(DomainState.Paused, PowerState.Paused)]
    [InlineData(DomainState.Shutdown, PowerState.Shutdown)]
    [InlineData(DomainState.Shutoff, PowerState.Shutdown)]
    [InlineData(DomainState.Crashed, PowerState.Crashed)]
    [InlineData(DomainState.PmSuspended, PowerState.Suspended)]
    [InlineData((DomainState)99, PowerState.NoState)]
    public void Libvirt_states_map_as_in_novas_guest_py(DomainState state, PowerState expected)
    {
        PowerStates.FromLibvirt(state).ShouldBe(expected);
    }
}

namespace Vireo.Core;

/// <summary>
/// Nova's <c>vm_state</c>: the stable state the user expects when no operation is in
/// flight (<c>nova/compute/vm_states.py</c>). The wire names live in <see cref="NovaNames"/>.
/// </summary>
public enum VmState
{
    Building,
    Active,
    Paused,
    Suspended,
    Stopped,
    Rescued,
    Resized,
    SoftDeleted,
    Deleted,
    Error,
    Shelved,
    ShelvedOffloaded,
}

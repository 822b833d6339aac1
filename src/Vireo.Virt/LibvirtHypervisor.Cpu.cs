using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

public sealed partial class LibvirtHypervisor
{
    /// <summary>
    /// The live XML (what the QEMU process was started with, host-model expanded) and the defined
    /// XML (the mode asked for), read in one visit; null when the guest is not running, since an
    /// inactive domain's XML is only what was asked for. The running model's own features come from
    /// the same daemon (<see cref="DaemonCpuFacts"/>), read once per connection.
    /// </summary>
    public Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken) =>
        connections.RunOnLeaseAsync($"read the guest CPU of instance {instanceId}", lease =>
        {
            using var domain = FindOwnedOrThrow(lease.Connection, instanceId);
            if (domain.GetState().State is DomainState.Shutoff or DomainState.Crashed)
            {
                return null;
            }

            var live = domain.GetXmlDescription();
            var defined = domain.GetXmlDescription(DomainXmlFlags.Inactive);
            var model = EffectiveCpuReader.LiveModel(live) is { } running
                ? cpuFacts.ModelFeatures(lease, running.VirtType, running.Arch, running.Model)
                : null;
            return EffectiveCpuReader.Read(live, defined, model, time.GetUtcNow());
        }, cancellationToken);
}

using Vireo.Core;
using Vireo.Libvirt;
using Vireo.Virt.CpuModels;

namespace Vireo.Virt;

public sealed partial class LibvirtHypervisor
{
    /// <summary>
    /// The live XML (what the QEMU process was started with, host-model expanded) and the defined
    /// XML (the mode asked for), read in one visit; null when the guest is not running, since an
    /// inactive domain's XML is only what was asked for.
    /// </summary>
    public Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken) =>
        connections.RunAsync($"read the guest CPU of instance {instanceId}", connection =>
        {
            using var domain = FindOwnedOrThrow(connection, instanceId);
            if (domain.GetState().State is DomainState.Shutoff or DomainState.Crashed)
            {
                return null;
            }

            var live = domain.GetXmlDescription();
            var defined = domain.GetXmlDescription(DomainXmlFlags.Inactive);
            return EffectiveCpuReader.Read(live, defined, CpuMaps.Load(), time.GetUtcNow());
        }, cancellationToken);
}

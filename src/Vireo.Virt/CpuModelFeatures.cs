namespace Vireo.Virt;

/// <summary>
/// The features a named CPU model carries as the connected libvirt daemon expands it for one virt
/// type and architecture (<c>virConnectBaselineHypervisorCPU</c> of that model alone with
/// <c>VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES</c>): every feature the expansion names, whether the
/// hypervisor can give it (<c>require</c>) or not (<c>disable</c>). A value the effective-CPU reader takes as given.
/// </summary>
public sealed record CpuModelFeatures(string Model, IReadOnlySet<string> Features, string Source)
{
    public bool Has(string feature) => Features.Contains(feature);
}

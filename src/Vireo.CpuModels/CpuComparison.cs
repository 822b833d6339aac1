using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.CpuModels;

/// <summary>libvirt's virCPUCompareResult: the host runs the guest CPU exactly, runs it with features to spare, or cannot run it.</summary>
public enum CpuComparisonVerdict
{
    Incompatible,
    Identical,
    Superset,
}

/// <param name="Missing">Features the guest requires that the host lacks, in map order.</param>
/// <param name="Forbidden">Features the guest forbids that the host has.</param>
/// <param name="Extra">Features the host has beyond the guest CPU (why a result is a superset).</param>
/// <param name="Reason">Why the host cannot run the guest, in libvirt's words; null unless incompatible.</param>
public sealed record CpuComparisonResult(
    CpuComparisonVerdict Verdict,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Forbidden,
    IReadOnlyList<string> Extra,
    string? Reason)
{
    public bool Compatible => Verdict != CpuComparisonVerdict.Incompatible;
}

/// <summary>
/// Whether a host CPU can run a guest CPU, computed over the CPU map the way libvirt's
/// x86Compute does it for <c>virsh cpu-compare</c> and <c>virsh hypervisor-cpu-compare</c> (with the
/// host-model CPU of <c>virsh domcapabilities</c> as the host): the guest's model and required
/// features (less those it also lists as forced, optional or disabled) must all be on the host,
/// none of its forbidden ones may be; a host with more is a superset, which a guest with
/// <c>match='strict'</c> refuses. As in libvirt, a guest without a model (host-model, topology
/// only) requires nothing and is always run.
/// </summary>
public static class CpuComparison
{
    public static CpuComparisonResult Compare(CpuMap map, CpuDescription host, CpuDescription guest)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(guest);
        if (!map.HasFeatureBits)
        {
            throw VireoException.InvalidInput($"the offline compare works on x86 CPUs only, but the {map.Arch} CPU map describes no feature bits; use 'virsh hypervisor-cpu-compare' on a {map.Arch} host");
        }

        if (host.Model is null)
        {
            // virCPUx86Compare: "unknown host CPU".
            throw VireoException.InvalidInput($"{host.Source} names no CPU model; describe the host with its <cpu> from 'virsh capabilities' or 'virsh domcapabilities'");
        }

        if (guest.Arch is not null and not ("x86_64" or "i686"))
        {
            return Incompatible($"CPU arch {guest.Arch} does not match host arch");
        }

        if (guest.Vendor is not null && guest.Vendor != host.Vendor)
        {
            return Incompatible($"host CPU vendor does not match required CPU vendor {guest.Vendor}");
        }

        var hostBits = CpuData.All(map, host);
        var force = CpuData.WithPolicy(map, guest, CpuFeaturePolicy.Force);
        var require = CpuData.WithPolicy(map, guest, CpuFeaturePolicy.Require);
        var optional = CpuData.WithPolicy(map, guest, CpuFeaturePolicy.Optional);
        var disable = CpuData.WithPolicy(map, guest, CpuFeaturePolicy.Disable);
        var forbid = CpuData.WithPolicy(map, guest, CpuFeaturePolicy.Forbid);

        var forbidden = forbid.Intersect(hostBits);
        if (!forbidden.IsEmpty)
        {
            var names = map.FeatureNames(forbidden);
            return new CpuComparisonResult(CpuComparisonVerdict.Incompatible, [], names, [], $"Host CPU provides forbidden features: {string.Join(", ", names)}");
        }

        // Features inherited from the model but forced, made optional or disabled are not required.
        require = require.Except(force).Except(optional).Except(disable);
        if (!hostBits.Contains(require))
        {
            var missing = map.FeatureNames(require.Except(hostBits));
            return new CpuComparisonResult(
                CpuComparisonVerdict.Incompatible,
                missing,
                [],
                [],
                $"Host CPU does not provide required features: {string.Join(", ", missing)}");
        }

        var extraBits = hostBits.Except(optional).Except(require).Except(disable).Except(force);
        var extra = map.FeatureNames(extraBits);
        if (extraBits.IsEmpty)
        {
            return new CpuComparisonResult(CpuComparisonVerdict.Identical, [], [], [], null);
        }

        return guest.Match == CpuMatchPolicy.Strict
            ? new CpuComparisonResult(CpuComparisonVerdict.Incompatible, [], [], extra, $"Host CPU does not strictly match guest CPU: Extra features: {string.Join(", ", extra)}")
            : new CpuComparisonResult(CpuComparisonVerdict.Superset, [], [], extra, null);
    }

    private static CpuComparisonResult Incompatible(string reason) =>
        new(CpuComparisonVerdict.Incompatible, [], [], [], reason);
}

using Vireo.Core;

namespace Vireo.CpuModels;

/// <summary>A CPU written as a named model plus the features to add (require) and take away (disable).</summary>
/// <param name="Required">Features beyond the model, in map order.</param>
/// <param name="Disabled">Features of the model the CPU lacks, in map order, then the model's removed features.</param>
public sealed record DecodedCpu(CpuModelDefinition Model, IReadOnlyList<string> Required, IReadOnlyList<string> Disabled)
{
    public int FeatureCount => Required.Count + Disabled.Count;
}

/// <summary>
/// Names a set of CPU bits with a model, as libvirt's x86Decode does for a guest CPU (the
/// baseline case): models are tried from the last in the map (the newest) back; a model of
/// another vendor, or one the map keeps out of guest CPUs (<c>decode guest='off'</c>), is skipped.
/// The hosts' own model names are preferred: when there is only one, that model wins as soon as
/// it is reached; otherwise a candidate replaces the current best when it costs less (see
/// <see cref="IsBetter"/>), or when it is one of the preferred names and needs fewer features
/// disabled.
/// </summary>
internal static class CpuModelDecoder
{
    /// <param name="preferred">The distinct model names of the described CPUs, in order (libvirt's modelNames).</param>
    public static DecodedCpu Decode(CpuMap map, CpuBits data, string? vendor, IReadOnlyList<string> preferred)
    {
        ArgumentNullException.ThrowIfNull(preferred);
        DecodedCpu? best = null;
        for (var i = map.Models.Count - 1; i >= 0; i--)
        {
            var candidate = map.Models[i];
            if (vendor is not null && candidate.Vendor is not null && candidate.Vendor != vendor)
            {
                continue;
            }

            if (!candidate.DecodeGuest)
            {
                continue;
            }

            var decoded = Describe(map, data, candidate);
            var isPreferred = preferred.Contains(candidate.Name, StringComparer.Ordinal);
            if (isPreferred && preferred.Count == 1)
            {
                return decoded;
            }

            if (best is null || IsBetter(decoded, best, isPreferred))
            {
                best = decoded;
            }
        }

        return best ?? throw new VireoException(
            ErrorKind.Failed,
            $"no CPU model of libvirt's {map.Arch} CPU map{(vendor is null ? "" : $" from vendor {vendor}")} can describe these CPUs; check the hosts' vendors and models");
    }

    /// <summary>
    /// libvirt's virCPUx86CompareCandidateFeatureList: a feature line costs 1 if it adds a feature
    /// and 2, 3, 4... for the first, second, third disabled one, so a model that needs features
    /// taken away loses to an older one that only adds some; on equal cost, fewer disabled wins;
    /// and a model one of the hosts has wins whenever it needs fewer disabled, whatever it adds
    /// (so a fleet of a rich host and an EPYC host gets the rich host's kvm64 with its features,
    /// not EPYC with two disabled).
    /// </summary>
    private static bool IsBetter(DecodedCpu candidate, DecodedCpu current, bool isPreferred)
    {
        var (candidateCost, candidatePenalty) = Cost(candidate);
        var (currentCost, currentPenalty) = Cost(current);
        return candidateCost < currentCost
            || (candidateCost == currentCost && candidatePenalty < currentPenalty)
            || (isPreferred && candidatePenalty < currentPenalty);
    }

    private const int BasePenalty = 2;

    /// <summary>
    /// The cost as libvirt counts it, walking the feature lines (required, then disabled) with a
    /// bound that shrinks with each disabled line found, exactly as its loop does: with many
    /// disabled features the last ones are not counted.
    /// </summary>
    private static (int Cost, int Penalty) Cost(DecodedCpu cpu)
    {
        var lines = cpu.FeatureCount;
        var enabled = lines;
        var penalty = 0;
        var next = BasePenalty;
        for (var i = 0; i < enabled; i++)
        {
            if (i >= cpu.Required.Count)
            {
                enabled--;
                penalty += next;
                next++;
            }
        }

        return (enabled + penalty, penalty);
    }

    /// <summary>
    /// libvirt's x86DataToCPU for one model: required = data - model, disabled = model - data, each
    /// turned into feature names in map order, a feature taking its bits out before the next is
    /// tried; then the model's removed features are disabled unless already listed.
    /// </summary>
    public static DecodedCpu Describe(CpuMap map, CpuBits data, CpuModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(model);
        var required = Names(map, data.Except(model.Bits));
        var disabled = Names(map, model.Bits.Except(data));
        foreach (var removed in model.RemovedFeatures)
        {
            if (!required.Contains(removed, StringComparer.Ordinal) && !disabled.Contains(removed, StringComparer.Ordinal))
            {
                disabled.Add(removed);
            }
        }

        return new DecodedCpu(model, required, disabled);
    }

    private static List<string> Names(CpuMap map, CpuBits bits)
    {
        var names = new List<string>();
        if (bits.IsEmpty)
        {
            return names;
        }

        foreach (var feature in map.Features)
        {
            if (!feature.Bits.IsEmpty && bits.Contains(feature.Bits))
            {
                names.Add(feature.Name);
                bits = bits.Except(feature.Bits);
                if (bits.IsEmpty)
                {
                    break;
                }
            }
        }

        return names;
    }
}

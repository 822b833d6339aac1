using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.CpuModels;

/// <summary>
/// A described CPU turned into register bits, as libvirt's x86ModelFromCPU does it: the
/// model's bits plus the bits of features with the asked policy. A host CPU from
/// capabilities lists features without a policy, which reads as require.
/// </summary>
internal static class CpuData
{
    /// <summary>
    /// Everything the CPU provides: its model, plus required and forced features, minus disabled and
    /// forbidden ones; optional features count neither way (x86ModelFromCPU with policy -1).
    /// </summary>
    public static CpuBits All(CpuMap map, CpuDescription cpu)
    {
        var bits = ModelBits(map, cpu);
        foreach (var feature in cpu.Cpu.Features)
        {
            var definition = Feature(map, cpu, feature.Name);
            bits = feature.Policy switch
            {
                CpuFeaturePolicy.Require or CpuFeaturePolicy.Force => bits.Union(definition.Bits),
                CpuFeaturePolicy.Disable or CpuFeaturePolicy.Forbid => bits.Except(definition.Bits),
                _ => bits,
            };
        }

        return bits;
    }

    /// <summary>The bits of the features with one policy; with require, the model's bits too (x86ModelFromCPU with a policy).</summary>
    public static CpuBits WithPolicy(CpuMap map, CpuDescription cpu, CpuFeaturePolicy policy)
    {
        var bits = policy == CpuFeaturePolicy.Require ? ModelBits(map, cpu) : map.NoBits;
        foreach (var feature in cpu.Cpu.Features)
        {
            var definition = Feature(map, cpu, feature.Name);
            if (feature.Policy == policy)
            {
                bits = bits.Union(definition.Bits);
            }
        }

        return bits;
    }

    public static CpuModelDefinition? Model(CpuMap map, CpuDescription cpu) =>
        cpu.Model is { } name
            ? map.FindModel(name) ?? throw VireoException.InvalidInput(map.UnknownModelMessage(name, cpu.Source))
            : null;

    private static CpuBits ModelBits(CpuMap map, CpuDescription cpu) => Model(map, cpu)?.Bits ?? map.NoBits;

    private static CpuFeatureDefinition Feature(CpuMap map, CpuDescription cpu, string name) =>
        map.FindFeature(name) ?? throw VireoException.InvalidInput(map.UnknownFeatureMessage(name, cpu.Source));
}

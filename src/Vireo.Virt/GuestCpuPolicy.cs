using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.Virt;

/// <summary>
/// The guest <c>&lt;cpu&gt;</c> from <c>[libvirt] cpu_mode/cpu_models/cpu_model_extra_flags</c>, in
/// the shape Nova's <c>_get_guest_cpu_model_config</c> gives it for kvm/qemu guests. Choosing a
/// model by flavor traits and checking models against the host come later.
/// </summary>
public static class GuestCpuPolicy
{
    public static CpuConfig Build(HypervisorSettings settings, int vcpus)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Nova's default topology for N vCPUs without hw:cpu_* extra specs (hardware.get_best_cpu_topology).
        var topology = new CpuTopology(Sockets: vcpus, Cores: 1, Threads: 1);
        var mode = settings.EffectiveCpuMode;
        if (mode == GuestCpuMode.None)
        {
            // Nova writes an empty CPU config, so only the topology remains; extra flags are dropped.
            return new CpuConfig { Topology = topology };
        }

        var features = ExtraFlags(settings.CpuExtraFlags);
        return mode switch
        {
            GuestCpuMode.HostModel => new CpuConfig { Mode = CpuMode.HostModel, Topology = topology, Features = features },
            GuestCpuMode.HostPassthrough => new CpuConfig { Mode = CpuMode.HostPassthrough, Topology = topology, Features = features },
            _ => new CpuConfig
            {
                Mode = CpuMode.Custom,
                Model = FirstModel(settings.CpuModels),
                Topology = topology,
                Features = features,
            },
        };
    }

    private static string FirstModel(IReadOnlyList<string> models) =>
        models.FirstOrDefault(m => !string.IsNullOrWhiteSpace(m))?.Trim()
        ?? throw new VireoException(
            ErrorKind.Configuration,
            "[libvirt] cpu_mode=custom requires cpu_models; set e.g. cpu_models = Westmere");

    /// <summary>Nova lower-cases the flags; a leading '-' disables a flag, '+' or nothing requires it.</summary>
    private static EquatableArray<CpuFeature> ExtraFlags(IReadOnlyList<string> flags)
    {
        var features = new Dictionary<string, CpuFeature>(StringComparer.Ordinal);
        foreach (var raw in flags)
        {
            var flag = raw.Trim().ToLowerInvariant();
            var policy = CpuFeaturePolicy.Require;
            if (flag.StartsWith('-'))
            {
                policy = CpuFeaturePolicy.Disable;
                flag = flag[1..];
            }
            else if (flag.StartsWith('+'))
            {
                flag = flag[1..];
            }

            if (flag.Length == 0)
            {
                continue;
            }

            if (features.TryGetValue(flag, out var existing) && existing.Policy != policy)
            {
                throw new VireoException(
                    ErrorKind.Configuration,
                    $"[libvirt] cpu_model_extra_flags both requires and disables '{flag}'; keep one of '+{flag}' and '-{flag}'");
            }

            features[flag] = new CpuFeature(flag, policy);
        }

        return features.Values.ToEquatableArray();
    }
}

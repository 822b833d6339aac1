using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.Virt;

/// <summary>
/// The guest <c>&lt;cpu&gt;</c> from <c>[libvirt] cpu_mode/cpu_models/cpu_model_extra_flags</c>, as Nova's
/// <c>_get_guest_cpu_config</c> builds it for kvm/qemu guests (golden files under
/// Golden/cpu are written by Nova's own code): an unset mode is host-model (host-passthrough on
/// AArch64); custom takes the first of <c>cpu_models</c>, every name mapped to libvirt's spelling
/// whatever its case; extra flags are lower-cased, <c>-flag</c> disables, <c>+flag</c> or <c>flag</c>
/// requires, repeated signs collapse; mode none keeps only the topology and drops the flags;
/// the topology of N vCPUs is N sockets of one core and one thread. Choosing a model by flavor
/// traits comes later.
/// </summary>
/// <remarks>
/// Nova also writes <c>match='exact'</c> on every <c>&lt;cpu&gt;</c>, host-model and none included.
/// libvirt reads match only for a named custom CPU, and CpuXml writes it only there, because
/// CpuConfig has no Match property yet; once it has, this policy sets Match = Exact in all four
/// shapes and the golden comparison (GuestCpuGoldenTests) becomes exact.
/// </remarks>
public static class GuestCpuPolicy
{
    /// <param name="modelNames">The CPU model names of the libvirt daemon the guest is defined on (the driver reads them from
    /// it, see <see cref="DaemonCpuFacts"/>), whose spellings Nova maps <c>cpu_models</c> to (getCPUModelNames); null leaves
    /// the names as configured, as Nova does on architectures it does not map (<see cref="CpuModelNames.MappedOn"/>).</param>
    public static CpuConfig Build(HypervisorSettings settings, int vcpus, CpuModelNames? modelNames)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Nova's default topology for N vCPUs without hw:cpu_* extra specs (hardware.get_best_cpu_topology).
        var topology = new CpuTopology(Sockets: vcpus, Cores: 1, Threads: 1);

        // Nova maps every configured model, not only the one it uses, so a typo anywhere in the list fails.
        var models = MapModelNames(settings.CpuModels, modelNames);
        var mode = settings.EffectiveCpuMode;
        if (mode == CpuMode.None)
        {
            // Nova returns an empty LibvirtConfigGuestCPU: the topology is all that is written, extra flags are dropped.
            return new CpuConfig { Match = CpuMatch.Exact, Topology = topology };
        }

        var features = ExtraFlags(settings.CpuExtraFlags);
        return mode switch
        {
            CpuMode.HostModel => new CpuConfig { Mode = CpuMode.HostModel, Match = CpuMatch.Exact, Topology = topology, Features = features },
            CpuMode.HostPassthrough => new CpuConfig { Mode = CpuMode.HostPassthrough, Match = CpuMatch.Exact, Topology = topology, Features = features },
            _ => new CpuConfig
            {
                Mode = CpuMode.Custom,
                Match = CpuMatch.Exact,
                Model = models.Count > 0
                    ? models[0]
                    : throw new VireoException(ErrorKind.Configuration, "[libvirt] cpu_mode=custom requires cpu_models; set e.g. cpu_models = Westmere"),
                Topology = topology,
                Features = features,
            },
        };
    }

    /// <summary>Whether <see cref="Build"/> needs the daemon's model names: model names are configured on an architecture Nova maps them on.</summary>
    public static bool NeedsModelNames(HypervisorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CpuModelNames.MappedOn(settings.Arch) && settings.CpuModels.Any(m => !string.IsNullOrWhiteSpace(m));
    }

    /// <summary>Nova's _get_cpu_model_mapping: libvirt's spelling of each name, compared in lower case.</summary>
    private static List<string> MapModelNames(IReadOnlyList<string> configured, CpuModelNames? known)
    {
        var models = new List<string>();
        foreach (var raw in configured)
        {
            var name = raw.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            models.Add(known is null
                ? name
                : known.Resolve(name) ?? throw new VireoException(ErrorKind.Configuration, known.UnknownModelMessage(name, "[libvirt] cpu_models")));
        }

        return models;
    }

    /// <summary>
    /// Nova's set of lower-cased flags through _prepare_cpu_flag: a leading run of '-' disables, else a
    /// leading run of '+' is dropped and the flag is required. A flag both required and disabled
    /// is refused: Nova keeps whichever its set happens to yield first.
    /// </summary>
    private static EquatableArray<CpuFeature> ExtraFlags(IReadOnlyList<string> flags)
    {
        var features = new Dictionary<string, CpuFeature>(StringComparer.Ordinal);
        foreach (var raw in flags)
        {
            var flag = raw.Trim().ToLowerInvariant();
            if (flag.Length == 0)
            {
                continue;
            }

            var policy = flag[0] == '-' ? CpuFeaturePolicy.Disable : CpuFeaturePolicy.Require;
            var name = flag.TrimStart(policy == CpuFeaturePolicy.Disable ? '-' : '+');
            if (name.Length == 0 || name[0] is '+' or '-')
            {
                throw new VireoException(
                    ErrorKind.Configuration,
                    $"[libvirt] cpu_model_extra_flags item '{raw.Trim()}' is not a CPU feature; write a feature name with at most one sign, such as pcid, +ssbd or -mpx");
            }

            if (features.TryGetValue(name, out var existing) && existing.Policy != policy)
            {
                throw new VireoException(
                    ErrorKind.Configuration,
                    $"[libvirt] cpu_model_extra_flags both requires and disables '{name}'; keep one of '+{name}' and '-{name}'");
            }

            features[name] = new CpuFeature(name, policy);
        }

        return features.Values.ToEquatableArray();
    }
}

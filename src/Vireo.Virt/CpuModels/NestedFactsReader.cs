using Vireo.Core;
using Vireo.DomainXml;
using Vireo.Virt.HostReadiness;

namespace Vireo.Virt.CpuModels;

/// <summary>
/// Reads the facts <see cref="NestedExposure"/> decides on: the host's CPU flags and nested
/// parameter from a file tree laid out like "/", model features from libvirt's CPU map, and what
/// host-model resolves to (and whether host-passthrough is supported) from libvirt's domain
/// capabilities. libvirtd not answering is a fact (unknown), not a failure.
/// </summary>
public static class NestedFactsReader
{
    /// <summary>QEMU's default x86 CPU, which a guest gets when its &lt;cpu&gt; names no model.</summary>
    public const string DefaultX86Model = "qemu64";

    public static async Task<NestedFacts> ReadAsync(HypervisorSettings settings, CpuConfig guestCpu, IHostFileTree tree, CpuMapSet? maps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(guestCpu);
        ArgumentNullException.ThrowIfNull(tree);
        var cpu = HostFileReader.ReadCpu(tree);
        var module = new[] { "kvm_intel", "kvm_amd" }.FirstOrDefault(m => tree.Stat($"/sys/module/{m}") is not null);
        var nested = module is null ? null : tree.ReadText($"/sys/module/{module}/parameters/nested")?.Trim();
        var map = maps?.ForGuestArch(settings.Arch);
        var facts = new NestedFacts
        {
            Kvm = settings.VirtType == DomainType.Kvm,
            Mode = settings.EffectiveCpuMode,
            ExtraFlags = [.. guestCpu.Features],
            HostFlags = cpu.Flags.ToHashSet(StringComparer.Ordinal),
            Nested = new NestedParameter(module, nested),
            DefaultModelFeatures = ModelFeatures(map, DefaultX86Model),
        };

        switch (facts.Mode)
        {
            case GuestCpuMode.Custom:
                return facts with { Model = guestCpu.Model, ModelFeatures = ModelFeatures(map, guestCpu.Model) };
            case GuestCpuMode.HostModel or GuestCpuMode.HostPassthrough when map is not null:
                var report = await TryReadDomainCapabilitiesAsync(settings, map, cancellationToken).ConfigureAwait(false);
                var hostModel = report?.HostModel;
                return facts with
                {
                    HostPassthroughSupported = report?.HostPassthroughSupported,
                    Model = hostModel?.Model,
                    ModelFeatures = hostModel is null ? null : HostModelFeatures(map, hostModel),
                };
            default:
                return facts;
        }
    }

    /// <summary>A resolved host-model CPU as a guest gets it: its model's features, plus the ones it adds, minus the ones it disables.</summary>
    public static IReadOnlySet<string> HostModelFeatures(CpuMap map, CpuConfig hostModel)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(hostModel);
        var features = ModelFeatures(map, hostModel.Model)?.ToHashSet(StringComparer.Ordinal) ?? new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in hostModel.Features)
        {
            if (feature.Policy is CpuFeaturePolicy.Disable or CpuFeaturePolicy.Forbid)
            {
                features.Remove(feature.Name);
            }
            else
            {
                features.Add(feature.Name);
            }
        }

        return features;
    }

    private static HashSet<string>? ModelFeatures(CpuMap? map, string? model) =>
        model is not null && map?.FindModel(model) is { } definition ? map.FeatureNames(definition).ToHashSet(StringComparer.Ordinal) : null;

    private static async Task<HostCpuModelReport?> TryReadDomainCapabilitiesAsync(HypervisorSettings settings, CpuMap map, CancellationToken cancellationToken)
    {
        try
        {
            return await HostCpuModelReader.ReadAsync(settings.ConnectionUri, settings.VirtType, map, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return null;
        }
    }
}

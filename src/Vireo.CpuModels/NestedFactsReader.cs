using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.CpuModels;

/// <summary>
/// Reads the facts <see cref="NestedExposure"/> decides on: the host's CPU flags and nested
/// parameter from a file tree laid out like "/", model features from libvirt's CPU map, and what
/// host-model resolves to (and whether host-passthrough is supported) from libvirt's domain
/// capabilities. libvirtd not answering is a fact (unknown), not a failure.
/// </summary>
/// <summary>Whose CPU the nested facts are read for: the daemon to ask, and the guest's virt type, architecture and effective cpu mode.</summary>
public sealed record NestedTarget(string ConnectionUri, DomainType VirtType, string Arch, CpuMode Mode);

public static class NestedFactsReader
{
    /// <summary>QEMU's default x86 CPU, which a guest gets when its &lt;cpu&gt; names no model.</summary>
    public const string DefaultX86Model = "qemu64";

    public static async Task<NestedFacts> ReadAsync(NestedTarget target, CpuConfig guestCpu, IHostFileTree tree, CpuMapSet? maps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(guestCpu);
        ArgumentNullException.ThrowIfNull(tree);
        var cpu = CpuInfoReader.Read(tree);
        var module = new[] { "kvm_intel", "kvm_amd" }.FirstOrDefault(m => tree.Stat($"/sys/module/{m}") is not null);
        var nested = module is null ? null : tree.ReadText($"/sys/module/{module}/parameters/nested")?.Trim();
        var map = maps?.ForGuestArch(target.Arch);
        var facts = new NestedFacts
        {
            Kvm = target.VirtType == DomainType.Kvm,
            Mode = target.Mode,
            ExtraFlags = [.. guestCpu.Features],
            HostFlags = cpu.Flags.ToHashSet(StringComparer.Ordinal),
            Nested = new NestedParameter(module, nested),
            DefaultModelFeatures = ModelFeatures(map, DefaultX86Model),
        };

        switch (facts.Mode)
        {
            case CpuMode.Custom:
                return facts with { Model = guestCpu.Model, ModelFeatures = ModelFeatures(map, guestCpu.Model) };
            case CpuMode.HostModel or CpuMode.HostPassthrough when map is not null:
                var report = await TryReadDomainCapabilitiesAsync(target, map, cancellationToken).ConfigureAwait(false);
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

    private static async Task<HostCpuModelReport?> TryReadDomainCapabilitiesAsync(NestedTarget target, CpuMap map, CancellationToken cancellationToken)
    {
        try
        {
            return await HostCpuModelReader.ReadAsync(target.ConnectionUri, target.VirtType, map, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return null;
        }
    }
}

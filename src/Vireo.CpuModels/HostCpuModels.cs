using System.Xml.Linq;
using Vireo.Core;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.CpuModels;

/// <summary>A named model as this host's hypervisor offers it for one virt type.</summary>
/// <param name="Usable">libvirt's <c>usable</c>: whether QEMU can run the model here as it is.</param>
/// <param name="Level">The model's x86-64 level; null when the CPU map does not know the model.</param>
/// <param name="Blockers">
/// For a model that is not usable, the features that keep it from running here: libvirt's own
/// list when its domain capabilities carry one (<c>&lt;blockers model=...&gt;</c>, libvirt 10 and
/// later), else the features the host-model CPU lacks, which is what compareHypervisorCPU
/// (<c>virsh hypervisor-cpu-compare</c>) names when it refuses the model; null when neither is known.
/// </param>
public sealed record HostCpuModel(string Name, CpuModelUsability Usable, string? Vendor, bool Deprecated, string? Level, IReadOnlyList<string>? Blockers);

/// <summary>What <c>vireo cpu models</c> shows: the CPU modes and models of one virt type on this host.</summary>
/// <param name="HostModel">What host-model resolves to here, as a custom CPU; null when host-model is unsupported.</param>
/// <param name="BlockersFromLibvirt">True when the blockers are libvirt's own list, false when they come from comparing with host-model.</param>
public sealed record HostCpuModelReport(
    string VirtType,
    bool HostModelSupported,
    bool HostPassthroughSupported,
    bool CustomSupported,
    CpuConfig? HostModel,
    IReadOnlyList<HostCpuModel> Models,
    bool BlockersFromLibvirt)
{
    /// <summary>
    /// Joins libvirt's domain capabilities with the CPU map: models in map order (oldest first, the
    /// order Nova wants <c>cpu_models</c> in), then any the map does not know, in libvirt's order.
    /// </summary>
    /// <param name="libvirtBlockers">The <c>&lt;blockers&gt;</c> of the domain capabilities by model name; empty before libvirt 10.</param>
    public static HostCpuModelReport Build(
        string virtType,
        DomainCapabilitiesCpu capabilities,
        CpuMap map,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? libvirtBlockers = null)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(map);
        libvirtBlockers ??= new Dictionary<string, IReadOnlyList<string>>();
        var host = capabilities.HostModel is { } hostModel ? new CpuDescription("host-model CPU", hostModel) : null;
        var models = capabilities.CustomModels
            .OrderBy(m => map.FindModel(m.Name)?.Order ?? int.MaxValue)
            .Select(m => Describe(m, map, host, libvirtBlockers.GetValueOrDefault(m.Name)))
            .ToList();
        return new HostCpuModelReport(
            virtType,
            capabilities.HostModelSupported,
            capabilities.HostPassthroughSupported,
            capabilities.CustomSupported,
            capabilities.HostModel,
            models,
            libvirtBlockers.Count > 0);
    }

    private static HostCpuModel Describe(CpuModelInfo info, CpuMap map, CpuDescription? host, IReadOnlyList<string>? libvirtBlockers)
    {
        var definition = map.FindModel(info.Name);
        var vendor = info.Vendor is null or "unknown" ? definition?.Vendor : info.Vendor;
        var level = definition is null ? null : X86Level.Of(map, definition.Bits);
        if (libvirtBlockers is not null || info.Usable == CpuModelUsability.Yes)
        {
            return new HostCpuModel(info.Name, info.Usable, vendor, info.Deprecated, level, libvirtBlockers ?? []);
        }

        if (definition is null)
        {
            return new HostCpuModel(info.Name, info.Usable, vendor, info.Deprecated, null, null);
        }

        IReadOnlyList<string>? blockers = null;
        if (host is not null)
        {
            var guest = new CpuDescription(info.Name, new CpuConfig { Model = info.Name });
            blockers = CpuComparison.Compare(map, host, guest).Missing;
        }

        return new HostCpuModel(info.Name, info.Usable, vendor, info.Deprecated, level, blockers);
    }
}

/// <summary>Reads the CPU part of libvirt's domain capabilities (the only libvirt call behind <c>vireo cpu models</c>).</summary>
public static class HostCpuModelReader
{
    public static async Task<HostCpuModelReport> ReadAsync(string connectionUri, DomainType virtType, CpuMap map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionUri);
        ArgumentNullException.ThrowIfNull(map);
        var virt = virtType == DomainType.Kvm ? "kvm" : "qemu";
        var xml = await Task.Run(
            () =>
            {
                try
                {
                    using var connection = Connection.Open(connectionUri);
                    return connection.GetDomainCapabilities(virtType: virt);
                }
                catch (LibvirtException e)
                {
                    throw new VireoException(
                        ErrorKind.Unavailable,
                        $"libvirt at {connectionUri} gave no domain capabilities for virt_type {virt} ({e.Message}); start libvirtd (scripts/setup-host) or check [libvirt] connection_uri and virt_type",
                        e);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return HostCpuModelReport.Build(virt, CpuXml.ParseDomainCapabilities(xml), map, Blockers(xml));
    }

    /// <summary>
    /// libvirt 10 and later list, after each unusable model, <c>&lt;blockers model='IvyBridge'&gt;&lt;feature
    /// name='x2apic'/&gt;…</c> (QEMU's unavailable-features); Vireo.DomainXml does not read them yet.
    /// </summary>
    internal static Dictionary<string, IReadOnlyList<string>> Blockers(string domainCapabilitiesXml)
    {
        var custom = XElement.Parse(domainCapabilitiesXml).Element("cpu")?.Elements("mode")
            .FirstOrDefault(m => m.Attribute("name")?.Value == "custom");
        var blockers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var element in custom?.Elements("blockers") ?? [])
        {
            if (element.Attribute("model")?.Value is { } model)
            {
                blockers[model] = [.. element.Elements("feature").Select(f => f.Attribute("name")?.Value).OfType<string>()];
            }
        }

        return blockers;
    }
}

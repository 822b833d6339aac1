using Vireo.Core;

namespace Vireo.DomainXml;

/// <summary>
/// A guest <c>&lt;cpu&gt;</c> (formatdomain "CPU model and topology"). Also the bare element
/// compareHypervisorCPU and baselineHypervisorCPU take, see <see cref="CpuXml"/>.
/// </summary>
public sealed record CpuConfig
{
    /// <summary>libvirt's default when the attribute is absent is <see cref="CpuMode.Custom"/>.</summary>
    public CpuMode Mode { get; init; } = CpuMode.Custom;

    /// <summary><c>match</c>; null leaves the attribute out. Nova writes <c>exact</c> on every guest CPU, whatever the mode.</summary>
    public CpuMatch? Match { get; init; }

    /// <summary>The named model for custom mode; null with custom mode means a topology-only CPU.</summary>
    public string? Model { get; init; }

    public CpuModelFallback? Fallback { get; init; }

    public string? Vendor { get; init; }

    public CpuTopology? Topology { get; init; }

    /// <summary>Kept sorted by name (Nova sorts too), so output does not depend on insertion order.</summary>
    public EquatableArray<CpuFeature> Features
    {
        get;
        init => field = value.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Policy).ToEquatableArray();
    }
}

/// <summary><c>&lt;cpu match&gt;</c>: how strictly a host must provide a custom CPU (libvirt reads it only for a named custom CPU).</summary>
public enum CpuMatch
{
    Minimum,
    Exact,
    Strict,
}

/// <summary><c>&lt;model fallback&gt;</c>: whether libvirt may substitute a closer model (allow) or must fail (forbid).</summary>
public enum CpuModelFallback
{
    Allow,
    Forbid,
}

public sealed record CpuTopology(int Sockets, int Cores, int Threads, int Dies = 1);

public sealed record CpuFeature(string Name, CpuFeaturePolicy Policy = CpuFeaturePolicy.Require);

public enum CpuFeaturePolicy
{
    Force,
    Require,
    Optional,
    Disable,
    Forbid,
}

/// <summary>The host CPU from <c>virConnectGetCapabilities</c> (<c>/capabilities/host/cpu</c>).</summary>
public sealed record HostCpu
{
    public required string Arch { get; init; }

    public string? Model { get; init; }

    public string? Vendor { get; init; }

    public CpuTopology? Topology { get; init; }

    /// <summary>Feature names, sorted; the host CPU lists features without a policy.</summary>
    public EquatableArray<string> Features
    {
        get;
        init => field = value.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToEquatableArray();
    }
}

/// <summary>The <c>&lt;cpu&gt;</c> part of <c>virConnectGetDomainCapabilities</c> (formatdomaincaps "CPU configuration").</summary>
public sealed record DomainCapabilitiesCpu
{
    public bool HostPassthroughSupported { get; init; }

    public bool MaximumSupported { get; init; }

    public bool HostModelSupported { get; init; }

    /// <summary>
    /// What host-model resolves to on this host, as a custom CPU (model, vendor, features) that can
    /// be passed as-is to compareHypervisorCPU. Null when host-model is unsupported.
    /// </summary>
    public CpuConfig? HostModel { get; init; }

    public bool CustomSupported { get; init; }

    /// <summary>Named models in libvirt's order.</summary>
    public EquatableArray<CpuModelInfo> CustomModels { get; init; } = [];
}

public sealed record CpuModelInfo(string Name, CpuModelUsability Usable, string? Vendor = null, bool Deprecated = false);

public enum CpuModelUsability
{
    Unknown,
    Yes,
    No,
}

namespace Vireo.Cli.Commands;

// What the `vireo cpu` commands print with --json, key for key in this order (snake_case through
// Output/CliJsonContext.cs, whose generated code writes them).

/// <summary><c>vireo cpu guest --json</c>.</summary>
internal sealed record CpuGuestDocument(
    string VirtType,
    string CpuMode,
    bool CpuModeConfigured,
    string? Model,
    CpuTopologyDocument? Topology,
    IEnumerable<CpuFeatureDocument> Features,
    string Cpu,
    CpuNestedDocument Nested);

internal sealed record CpuTopologyDocument(int Sockets, int Cores, int Threads);

internal sealed record CpuFeatureDocument(string Name, string Policy);

/// <summary>The <c>nested</c> part of <c>vireo cpu guest --json</c>.</summary>
internal sealed record CpuNestedDocument(CpuNestedParameterDocument HostParameter, bool? Exposed, string? Feature, string Reason, string? Change);

internal sealed record CpuNestedParameterDocument(string? Module, string? Path, string? Value, string State);

/// <summary><c>vireo cpu models --json</c>.</summary>
internal sealed record CpuModelsDocument(
    string VirtType,
    CpuHostModelDocument HostModel,
    CpuModeSupportDocument HostPassthrough,
    CpuModeSupportDocument Custom,
    string BlockersFrom,
    IEnumerable<CpuModelDocument> Models);

internal sealed record CpuHostModelDocument(bool Supported, string? Cpu);

internal sealed record CpuModeSupportDocument(bool Supported);

internal sealed record CpuModelDocument(string Name, string Usable, string? Vendor, string? Level, bool Deprecated, IReadOnlyList<string>? Blockers);

/// <summary><c>vireo cpu baseline --json</c>.</summary>
internal sealed record CpuBaselineDocument(
    string Model,
    string? Vendor,
    string Fallback,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> DisabledFeatures,
    string? Level,
    IReadOnlyList<string> NonMigratableFeatures,
    IEnumerable<CpuBaselineHostDocument> Hosts,
    string Cpu,
    string NovaConf);

internal sealed record CpuBaselineHostDocument(string Source, string? Model, string? Vendor, string? Level, IReadOnlyList<string> LostFeatures);

/// <summary><c>vireo cpu compare --json</c>.</summary>
internal sealed record CpuCompareDocument(
    string Result,
    string Guest,
    string Host,
    IReadOnlyList<string> MissingFeatures,
    IReadOnlyList<string> ForbiddenFeatures,
    IReadOnlyList<string> ExtraFeatures,
    string? Reason);

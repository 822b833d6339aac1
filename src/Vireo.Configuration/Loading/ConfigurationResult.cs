using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Options;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>One option as <c>vireo config check</c> shows it: the value (secrets hidden) and where it came from.</summary>
public sealed record EffectiveOption(OptionDefinition Option, string? DisplayValue, IReadOnlyList<SourceLocation> Sources, bool Implemented)
{
    /// <summary>"file:line" (several for a multi-valued option) or "default".</summary>
    public string Source => Sources.Count == 0 ? "default" : string.Join(", ", Sources);
}

/// <summary>The outcome of a load: the options when there is no error, and every error and warning found.</summary>
public sealed record ConfigurationResult(
    VireoOptions? Options,
    IReadOnlyList<ConfigDiagnostic> Errors,
    IReadOnlyList<ConfigDiagnostic> Warnings,
    IReadOnlyList<EffectiveOption> Effective,
    IReadOnlyList<string> Files)
{
    public bool Succeeded => Errors.Count == 0 && Options is not null;
}

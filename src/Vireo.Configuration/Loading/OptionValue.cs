using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>
/// An option's final value: the interpolated texts (one per assignment for a multi-valued option, else one),
/// the typed value (string, bool, long, list of strings, IPAddress, Guid, or null when unset) and where it came
/// from (no sources: the default). <see cref="IsValid"/> is false when the text did not convert.
/// </summary>
internal sealed record OptionValue(
    OptionDefinition Option,
    IReadOnlyList<string> Texts,
    object? Typed,
    IReadOnlyList<SourceLocation> Sources,
    bool IsValid)
{
    public bool IsSet => Sources.Count > 0;

    /// <summary>Where to point a message about this value: the last assignment, or none for a default.</summary>
    public SourceLocation? Location => Sources.Count > 0 ? Sources[^1] : null;

    public string Text => Option.IsMultiValued ? string.Join(", ", Texts) : Texts.Count > 0 ? Texts[0] : "";
}

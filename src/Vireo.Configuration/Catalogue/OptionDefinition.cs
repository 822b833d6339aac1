namespace Vireo.Configuration.Catalogue;

/// <summary>
/// One configuration option, declared once (Nova's <c>nova/conf/*.py</c> habit): parsing, validation, the
/// sample file and the reference document are all derived from these records.
/// </summary>
public sealed record OptionDefinition
{
    public required string Group { get; init; }

    public required string Name { get; init; }

    public required OptionType Type { get; init; }

    /// <summary>The default as oslo text (may contain <c>$name</c> references); null when unset.</summary>
    public string? Default { get; init; }

    /// <summary>Describes a default computed at run time (e.g. "this machine's host name"), shown instead of "unset".</summary>
    public string? DynamicDefault { get; init; }

    /// <summary>Nova's default when Vireo's differs, with why.</summary>
    public string? NovaDefault { get; init; }

    public required string Help { get; init; }

    /// <summary>Allowed values (for lists: allowed items); empty means any value of the type.</summary>
    public IReadOnlyList<OptionChoice> Choices { get; init; } = [];

    /// <summary>Older names still read, with a warning naming this option.</summary>
    public IReadOnlyList<OptionName> DeprecatedNames { get; init; } = [];

    /// <summary>Set when the option itself is deprecated: what to use instead.</summary>
    public string? DeprecatedFor { get; init; }

    public SecretKind Secret { get; init; }

    public required Component Consumer { get; init; }

    public long? Minimum { get; init; }

    public long? Maximum { get; init; }

    /// <summary>An example value for the documents (never a real secret).</summary>
    public string? Example { get; init; }

    public OptionName FullName => new(Group, Name);

    public bool IsMultiValued => Type == OptionType.MultiString;

    public bool IsList => Type is OptionType.List or OptionType.MultiString;

    public OptionChoice? FindChoice(string value) => Choices.FirstOrDefault(c => c.Value == value);

    public override string ToString() => FullName.ToString();
}

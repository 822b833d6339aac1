using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Output;

namespace Vireo.Configuration.Loading;

/// <summary>Typed access to the final values, for the rules and the binder.</summary>
internal sealed class ResolvedValues(IReadOnlyDictionary<OptionDefinition, OptionValue> values)
{
    public OptionValue this[OptionDefinition option] => values[option];

    public IEnumerable<OptionValue> All => values.Values;

    public bool Valid(params OptionDefinition[] options) => options.All(o => values[o].IsValid);

    public string? String(OptionDefinition option) => values[option].Typed switch
    {
        null => null,
        string s => s,
        var other => other.ToString(),
    };

    public bool Bool(OptionDefinition option) => values[option].Typed is true;

    public long? Int(OptionDefinition option) => values[option].Typed as long?;

    public IReadOnlyList<string> List(OptionDefinition option) => values[option].Typed as IReadOnlyList<string> ?? [];

    /// <summary>"[group] name = value" with secrets hidden, the way every message names a value.</summary>
    public string Describe(OptionDefinition option) => Describe(option, values[option].Text);

    public static string Describe(OptionDefinition option, string text) => $"{option.FullName} = {Redaction.Display(option, text)}";

    /// <summary>
    /// Where the value came from, for the middle of a sentence: "by default", "at line 5" when in the same file as
    /// <paramref name="relativeTo"/>'s value, else "at file:line".
    /// </summary>
    public string Origin(OptionDefinition option, OptionDefinition? relativeTo = null) => values[option].Location switch
    {
        null => "by default",
        var at when relativeTo is not null && values[relativeTo].Location?.File == at.File => $"at line {at.Line}",
        var at => $"at {at}",
    };
}

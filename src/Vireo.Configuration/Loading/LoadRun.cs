using System.Text.RegularExpressions;
using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Output;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>One load: parse, resolve, interpolate, convert, check choices and rules, then bind or report.</summary>
internal sealed partial class LoadRun(IReadOnlyList<ConfigSource> sources, LoadSettings settings)
{
    private readonly OptionIndex index = NovaConfig.Index;
    private readonly List<ConfigDiagnostic> diagnostics = [];
    private Dictionary<OptionDefinition, List<Occurrence>> winners = [];

    public ConfigurationResult Run()
    {
        var files = sources.Select(NovaConfParser.Parse).ToList();
        foreach (var file in files)
        {
            diagnostics.AddRange(file.Errors);
        }
        winners = new OptionResolver(index).Resolve(files, diagnostics);

        var interpolator = new Interpolator(index, RawValue);
        var found = index.Options.ToDictionary(o => o, _ => new List<ConfigDiagnostic>());
        var references = index.Options.ToDictionary(o => o, _ => new List<OptionDefinition>());
        var values = index.Options.ToDictionary(o => o, o => Evaluate(o, interpolator, found[o], references[o]));
        ReportCycles(interpolator, values);
        SuppressConsequences(values, references, found);
        diagnostics.AddRange(found.Values.SelectMany(d => d));
        var resolved = new ResolvedValues(values);
        foreach (var value in values.Values.Where(v => v.IsSet))
        {
            CheckUse(value);
        }
        var fallbackDatabase = interpolator.Expand(NovaOptions.Database.Connection, NovaOptions.Database.Connection.Default!, []);
        diagnostics.AddRange(ConfigRules.Check(resolved, fallbackDatabase));

        var ordered = Order(settings.Strict ? diagnostics.Select(d => d with { Severity = DiagnosticSeverity.Error }) : diagnostics);
        var errors = ordered.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var warnings = ordered.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        var options = errors.Count == 0 ? OptionsBinder.Bind(resolved, fallbackDatabase) : null;
        var effective = index.Options.Select(o => Effective(values[o])).ToList();
        return new ConfigurationResult(options, errors, warnings, effective, [.. sources.Select(s => s.Path)]);
    }

    /// <summary>The text a <c>$reference</c> to <paramref name="option"/> stands for, before its own interpolation.</summary>
    private string RawValue(OptionDefinition option)
    {
        if (winners.TryGetValue(option, out var found))
        {
            return string.Join(",", found.Select(o => o.Value));
        }
        if (option == NovaOptions.Default.Host && settings.HostName is not null)
        {
            return settings.HostName;
        }
        if (option == NovaOptions.Default.MyIp && settings.HostIp is not null)
        {
            return settings.HostIp;
        }
        return option.Default ?? "";
    }

    /// <summary>
    /// A value built from an invalid one (e.g. the default instances_path from a relative state_path) is invalid
    /// too, but only the root cause is reported: fixing it fixes both.
    /// </summary>
    private static void SuppressConsequences(
        Dictionary<OptionDefinition, OptionValue> values,
        Dictionary<OptionDefinition, List<OptionDefinition>> references,
        Dictionary<OptionDefinition, List<ConfigDiagnostic>> found)
    {
        var done = new HashSet<OptionDefinition>();
        bool changed;
        do
        {
            changed = false;
            foreach (var (option, referenced) in references)
            {
                if (!done.Contains(option) && referenced.Any(r => r != option && !values[r].IsValid))
                {
                    done.Add(option);
                    values[option] = values[option] with { IsValid = false, Typed = null };
                    found[option].RemoveAll(d => d.Code != DiagnosticCodes.UnknownReference);
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private OptionValue Evaluate(OptionDefinition option, Interpolator interpolator, List<ConfigDiagnostic> diagnostics, List<OptionDefinition> referenced)
    {
        var raw = winners.TryGetValue(option, out var found)
            ? found.Select(o => (o.Value, (SourceLocation?)o.Location)).ToList()
            : option.Default is null ? [] : [(option.Default, (SourceLocation?)null)];
        var texts = new List<string>();
        var valid = true;
        foreach (var (text, location) in raw)
        {
            var unknown = new List<string>();
            texts.Add(interpolator.Expand(option, text, unknown, referenced));
            foreach (var reference in unknown)
            {
                valid = false;
                diagnostics.Add(UnknownReference(option, text, location, reference, interpolator));
            }
        }
        var sources = found?.Select(o => o.Location).ToList() ?? [];
        var at = sources.Count > 0 ? sources[^1] : null;
        if (option.IsMultiValued)
        {
            return new OptionValue(option, texts, texts, sources, valid);
        }
        if (texts.Count == 0)
        {
            return new OptionValue(option, texts, null, sources, valid);
        }
        if (!valid)
        {
            return new OptionValue(option, texts, null, sources, false);
        }
        if (!ValueConverter.TryConvert(option, texts[0], out var typed, out var problem, out var code))
        {
            var hint = LooksLikeInlineComment(texts[0]) ? " (a comment must be on its own line: oslo.config keeps everything after '=' in the value)" : "";
            diagnostics.Add(Error(code, option, at, $"{ResolvedValues.Describe(option, texts[0])} {problem}{hint}"));
            return new OptionValue(option, texts, null, sources, false);
        }
        valid = CheckChoices(option, typed, at, diagnostics);
        if (valid && at is not null && LooksLikeInlineComment(texts[0]))
        {
            var shown = option.Secret == SecretKind.Whole ? $"{option.FullName} contains" : ResolvedValues.Describe(option, texts[0]) + " contains";
            diagnostics.Add(Warning(DiagnosticCodes.InlineComment, option, at,
                $"{shown} ' #' or ' ;', which oslo.config keeps as part of the value (there are no inline comments); move the comment to its own line"));
        }
        return new OptionValue(option, texts, typed, sources, valid);
    }

    private static bool CheckChoices(OptionDefinition option, object? typed, SourceLocation? at, List<ConfigDiagnostic> diagnostics)
    {
        if (option.Choices.Count == 0 || typed is null)
        {
            return true;
        }
        var items = typed as IReadOnlyList<string> ?? [(string)typed];
        var valid = true;
        foreach (var item in items)
        {
            var shown = option.Type == OptionType.List ? $"{option.FullName} item '{item}'" : ResolvedValues.Describe(option, item);
            var supportedChoices = option.Choices.Where(c => c.Status == ChoiceStatus.Supported).Select(c => c.Value).ToList();
            var supported = supportedChoices.Count == 1 ? supportedChoices[0] : "one of: " + string.Join(", ", supportedChoices);
            var choice = option.FindChoice(item);
            if (choice is null)
            {
                var close = Suggestions.Closest(item, option.Choices.Where(c => c.Status != ChoiceStatus.Refused).Select(c => c.Value));
                var hint = close is null ? "" : $" (did you mean {close}?)";
                diagnostics.Add(Error(DiagnosticCodes.NotAChoice, option, at, $"{shown} is not a valid value{hint}; use {supported}"));
                valid = false;
            }
            else if (choice.Status == ChoiceStatus.Refused)
            {
                diagnostics.Add(Error(DiagnosticCodes.RefusedChoice, option, at, $"{shown} is not supported: {choice.Reason}; use {supported}"));
                valid = false;
            }
            else if (choice.Status == ChoiceStatus.DeprecatedAlias)
            {
                diagnostics.Add(Warning(DiagnosticCodes.DeprecatedValue, option, at,
                    $"{shown} is a deprecated alias of {choice.ReplacedBy}; write {option.Name} = {choice.ReplacedBy}"));
            }
        }
        return valid;
    }

    /// <summary>Warnings about an option that is set: deprecated, or consumed by a component that does not exist yet.</summary>
    private void CheckUse(OptionValue value)
    {
        var option = value.Option;
        if (option.DeprecatedFor is not null)
        {
            diagnostics.Add(Warning(DiagnosticCodes.DeprecatedOption, option, value.Location,
                $"{option.FullName} is deprecated; use {option.DeprecatedFor} instead"));
        }
        var choice = value.IsValid && value.Typed is string text ? option.FindChoice(text) : null;
        if (choice?.Consumer is { } needed && !settings.Implemented.Contains(needed))
        {
            diagnostics.Add(Warning(DiagnosticCodes.NotImplemented, option, value.Location,
                $"{ResolvedValues.Describe(option, choice.Value)} is not implemented yet (Vireo has no {Components.Describe(needed)} yet); instances cannot be created with it until it exists"));
        }
        else if (!settings.Implemented.Contains(option.Consumer))
        {
            diagnostics.Add(Warning(DiagnosticCodes.NotImplemented, option, value.Location,
                $"{option.FullName} is set but not implemented yet (Vireo has no {Components.Describe(option.Consumer)} yet); it has no effect, Vireo behaves as if it were unset: remove it to silence this warning"));
        }
    }

    private ConfigDiagnostic UnknownReference(OptionDefinition option, string text, SourceLocation? at, string reference, Interpolator interpolator)
    {
        if (option.Secret == SecretKind.Whole)
        {
            return Error(DiagnosticCodes.UnknownReference, option, at,
                $"{option.FullName} contains '$' followed by a name, which oslo.config reads as a reference to another option, and there is no such option; write $$ for each literal '$'");
        }
        var close = interpolator.Suggest(option.Group, reference);
        var hint = close is null ? "" : $" (did you mean ${close}?)";
        return Error(DiagnosticCodes.UnknownReference, option, at,
            $"{ResolvedValues.Describe(option, text)} refers to ${reference}, which is not an option of {Where(option.Group)}{hint}; correct the name, or write $$ for a literal '$'");
    }

    private static string Where(string group) => group == NovaOptions.DefaultGroup ? "[DEFAULT]" : $"[{group}] or [DEFAULT]";

    private void ReportCycles(Interpolator interpolator, Dictionary<OptionDefinition, OptionValue> values)
    {
        foreach (var cycle in interpolator.Cycles)
        {
            var first = cycle.FirstOrDefault(o => values[o].IsSet) ?? cycle[0];
            var path = string.Join(" -> ", cycle.Append(cycle[0]).Select(o => "$" + o.Name));
            diagnostics.Add(Error(DiagnosticCodes.ReferenceCycle, first, values[first].Location,
                $"{first.FullName} refers to itself through {path}; give one of them a plain value"));
            foreach (var member in cycle)
            {
                values[member] = values[member] with { IsValid = false, Typed = null };
            }
        }
    }

    private EffectiveOption Effective(OptionValue value)
    {
        var option = value.Option;
        string? shown = value.Texts.Count == 0 && !option.IsMultiValued ? null : Redaction.Display(option, value.Text);
        var choiceConsumer = value.Typed is string text ? option.FindChoice(text)?.Consumer : null;
        var implemented = settings.Implemented.Contains(choiceConsumer ?? option.Consumer);
        return new EffectiveOption(option, shown, value.Sources, implemented);
    }

    private List<ConfigDiagnostic> Order(IEnumerable<ConfigDiagnostic> all)
    {
        var fileOrder = sources.Select((s, i) => (s.Path, i)).GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.First().i);
        return [.. all.Select((d, i) => (d, i))
            .OrderBy(p => p.d.Location is null ? int.MaxValue : fileOrder.GetValueOrDefault(p.d.Location.File))
            .ThenBy(p => p.d.Location?.Line ?? 0)
            .ThenBy(p => p.i)
            .Select(p => p.d)];
    }

    private static bool LooksLikeInlineComment(string text) => InlineComment().IsMatch(text);

    private static ConfigDiagnostic Error(string code, OptionDefinition option, SourceLocation? at, string message) =>
        ConfigDiagnostic.Error(code, at, option.Group, option.Name, message);

    private static ConfigDiagnostic Warning(string code, OptionDefinition option, SourceLocation? at, string message) =>
        ConfigDiagnostic.Warning(code, at, option.Group, option.Name, message);

    [GeneratedRegex(@"\s[#;]")]
    private static partial Regex InlineComment();
}

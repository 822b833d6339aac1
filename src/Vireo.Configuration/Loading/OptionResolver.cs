using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>
/// Decides which assignments give each option its value, the way oslo.config does
/// (<c>_Namespace._get_file_value</c>): a later file wins over an earlier one; within the winning file the
/// current name wins over a deprecated one, and the last assignment of that name wins; a multi-valued option
/// collects every assignment of every file. Also reports unknown keys, deprecated names, repeated keys and
/// section headers that oslo would silently ignore.
/// </summary>
internal sealed class OptionResolver(OptionIndex index)
{
    public Dictionary<OptionDefinition, List<Occurrence>> Resolve(IReadOnlyList<ParsedFile> files, List<ConfigDiagnostic> diagnostics)
    {
        var all = new Dictionary<OptionDefinition, List<Occurrence>>();
        var order = 0;
        for (var fileIndex = 0; fileIndex < files.Count; fileIndex++)
        {
            foreach (var section in files[fileIndex].Sections)
            {
                var group = section.GroupName;
                if (!index.Groups.Contains(group))
                {
                    CheckIgnoredSection(section, diagnostics);
                    continue;
                }
                foreach (var entry in section.Entries)
                {
                    if (index.TryFind(group, entry.Key, out var option, out var priority))
                    {
                        var name = priority == 0 ? option.FullName : option.DeprecatedNames[priority - 1];
                        if (!all.TryGetValue(option, out var list))
                        {
                            all[option] = list = [];
                        }
                        list.Add(new Occurrence(entry.Value, entry.Location, name, fileIndex, priority, order++));
                    }
                    else
                    {
                        diagnostics.Add(UnknownKey(group, entry));
                    }
                }
            }
        }

        var winners = new Dictionary<OptionDefinition, List<Occurrence>>();
        foreach (var (option, occurrences) in all)
        {
            ReportNames(option, occurrences, diagnostics);
            winners[option] = option.IsMultiValued
                ? [.. occurrences.OrderBy(o => o.FileIndex).ThenByDescending(o => o.NamePriority).ThenBy(o => o.Order)]
                : [occurrences.OrderByDescending(o => o.FileIndex).ThenBy(o => o.NamePriority).ThenByDescending(o => o.Order).First()];
        }
        return winners;
    }

    private static void ReportNames(OptionDefinition option, List<Occurrence> occurrences, List<ConfigDiagnostic> diagnostics)
    {
        foreach (var deprecated in occurrences.Where(o => o.NamePriority > 0))
        {
            diagnostics.Add(ConfigDiagnostic.Warning(DiagnosticCodes.DeprecatedName, deprecated.Location, deprecated.NameUsed.Group, deprecated.NameUsed.Name,
                $"{deprecated.NameUsed} is a deprecated name of {option.FullName}; rename it (the value is read as {option.FullName})"));
        }
        if (option.IsMultiValued)
        {
            return;
        }
        foreach (var repeated in occurrences.GroupBy(o => (o.FileIndex, o.NameUsed)).Where(g => g.Count() > 1))
        {
            var last = repeated.MaxBy(o => o.Order)!;
            foreach (var earlier in repeated.Where(o => o != last))
            {
                diagnostics.Add(ConfigDiagnostic.Warning(DiagnosticCodes.RepeatedOption, earlier.Location, earlier.NameUsed.Group, earlier.NameUsed.Name,
                    $"{earlier.NameUsed} is set again at line {last.Location.Line} of the same file, which wins; remove one of the two"));
            }
        }
    }

    private ConfigDiagnostic UnknownKey(string group, ParsedEntry entry)
    {
        // Never echo the value: unknown keys may hold secrets (transport_url, passwords).
        var elsewhere = index.GroupsHaving(entry.Key).FirstOrDefault(g => g != group);
        if (elsewhere is not null)
        {
            return ConfigDiagnostic.Warning(DiagnosticCodes.MisplacedOption, entry.Location, group, entry.Key,
                $"[{group}] {entry.Key} is a [{elsewhere}] option, so here it is ignored (as Nova would ignore it); move it under [{elsewhere}]");
        }
        var close = Suggestions.Closest(entry.Key, index.NamesIn(group));
        var closeElsewhere = close is null ? Suggestions.Closest(entry.Key, index.Options.Where(o => o.Group != group).Select(o => o.Name)) : null;
        var hint = (close, closeElsewhere) switch
        {
            (not null, _) => $"did you mean {close}? (as written it is ignored)",
            (_, not null) => $"did you mean {closeElsewhere} under [{index.GroupsHaving(closeElsewhere).First()}]? (as written it is ignored)",
            _ => "it is ignored",
        };
        return ConfigDiagnostic.Warning(DiagnosticCodes.UnknownOption, entry.Location, group, entry.Key, $"[{group}] {entry.Key} is not an option Vireo reads; {hint}");
    }

    private void CheckIgnoredSection(ParsedSection section, List<ConfigDiagnostic> diagnostics)
    {
        var trimmed = section.Name.Trim();
        var meant = trimmed.Equals(NovaOptions.DefaultGroup, StringComparison.OrdinalIgnoreCase)
            ? NovaOptions.DefaultGroup
            : index.Groups.FirstOrDefault(g => g == trimmed.ToLowerInvariant());
        if (meant is null)
        {
            return;
        }
        diagnostics.Add(ConfigDiagnostic.Warning(DiagnosticCodes.SectionCase, section.Location, null, null,
            $"the section [{section.Name}] is not [{meant}]: oslo.config reads it as another section and ignores its {section.Entries.Count} option(s); write [{meant}]"));
    }
}

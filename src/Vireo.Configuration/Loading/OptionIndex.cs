using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Loading;

/// <summary>Finds the catalogue option behind a <c>[group] key</c>, by current or deprecated name.</summary>
internal sealed class OptionIndex
{
    private readonly Dictionary<OptionName, (OptionDefinition Option, int Priority)> byName = [];

    public OptionIndex(IEnumerable<OptionDefinition> options)
    {
        Options = [.. options];
        foreach (var option in Options)
        {
            byName[option.FullName] = (option, 0);
            for (var i = 0; i < option.DeprecatedNames.Count; i++)
            {
                byName[option.DeprecatedNames[i]] = (option, i + 1);
            }
        }
        Groups = Options.Select(o => o.Group).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<OptionDefinition> Options { get; }

    public IReadOnlySet<string> Groups { get; }

    public bool TryFind(string group, string key, out OptionDefinition option, out int priority)
    {
        if (byName.TryGetValue(new OptionName(group, key), out var found))
        {
            (option, priority) = found;
            return true;
        }
        option = null!;
        priority = 0;
        return false;
    }

    public OptionDefinition? Find(string group, string key) => TryFind(group, key, out var option, out _) ? option : null;

    /// <summary>Every name readable in <paramref name="group"/>: options and deprecated names.</summary>
    public IEnumerable<string> NamesIn(string group) => byName.Keys.Where(n => n.Group == group).Select(n => n.Name);

    /// <summary>Other groups that have an option called <paramref name="key"/> (under its current name).</summary>
    public IEnumerable<string> GroupsHaving(string key) => Options.Where(o => o.Name == key).Select(o => o.Group);
}

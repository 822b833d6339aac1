using System.Text;
using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Loading;

/// <summary>
/// oslo.config's value substitution (<c>ConfigOpts._substitute</c>, a <c>string.Template</c> with
/// <c>idpattern = [_a-z][._a-z0-9]*</c>, any case): <c>$name</c> and <c>${name}</c> refer to an option of the
/// same group, else of <c>[DEFAULT]</c>; <c>${group.name}</c> to an option of another group; <c>$$</c> and
/// <c>\$</c> are a literal '$'; a '$' not followed by a name stays as it is. A reference to no option is an
/// error (oslo raises NoSuchOptError); a reference cycle is an error too (oslo overflows its stack).
/// </summary>
internal sealed class Interpolator(OptionIndex index, Func<OptionDefinition, string> rawValue)
{
    private readonly Dictionary<OptionDefinition, string> cache = [];
    private readonly List<OptionDefinition> stack = [];
    private readonly HashSet<string> reportedCycles = [];

    /// <summary>Cycles found so far, each as the options on it in reference order.</summary>
    public List<IReadOnlyList<OptionDefinition>> Cycles { get; } = [];

    /// <summary>Expands <paramref name="text"/> as a value of <paramref name="owner"/>, listing the names it could not resolve and the options it refers to.</summary>
    public string Expand(OptionDefinition owner, string text, List<string> unknownReferences, List<OptionDefinition>? referenced = null)
    {
        stack.Add(owner);
        try
        {
            return ExpandText(owner.Group, text, unknownReferences, referenced ?? []);
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    /// <summary>Suggests an option name for an unknown reference, looking where oslo looks.</summary>
    public string? Suggest(string group, string reference) =>
        Suggestions.Closest(reference, index.Options.Where(o => o.Group == group || o.Group == NovaOptions.DefaultGroup).Select(o => o.Name));

    private string ExpandText(string group, string text, List<string> unknownReferences, List<OptionDefinition> referenced)
    {
        text = text.Replace("\\$", "$$", StringComparison.Ordinal);
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                result.Append(text[i++]);
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i += 2;
                continue;
            }
            string? name = null;
            var end = i + 1;
            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                var idEnd = IdentifierEnd(text, i + 2);
                if (idEnd > i + 2 && idEnd < text.Length && text[idEnd] == '}')
                {
                    name = text[(i + 2)..idEnd];
                    end = idEnd + 1;
                }
            }
            else
            {
                var idEnd = IdentifierEnd(text, i + 1);
                if (idEnd > i + 1)
                {
                    name = text[(i + 1)..idEnd];
                    end = idEnd;
                }
            }
            if (name is null)
            {
                result.Append('$');
                i++;
                continue;
            }
            var target = Lookup(group, name);
            if (target is null)
            {
                unknownReferences.Add(name);
                result.Append(text, i, end - i);
            }
            else
            {
                referenced.Add(target);
                result.Append(ValueOf(target));
            }
            i = end;
        }
        return result.ToString();
    }

    private OptionDefinition? Lookup(string group, string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var target = dot < 0 ? Current(group, name) : Current(name[..dot], name[(dot + 1)..]);
        return target ?? Current(NovaOptions.DefaultGroup, name);
    }

    // Deprecated names are not options to oslo's substitution, only the current names are.
    private OptionDefinition? Current(string group, string name) =>
        index.TryFind(group, name, out var option, out var priority) && priority == 0 ? option : null;

    private string ValueOf(OptionDefinition option)
    {
        if (cache.TryGetValue(option, out var cached))
        {
            return cached;
        }
        var at = stack.IndexOf(option);
        if (at >= 0)
        {
            var cycle = stack.Skip(at).ToList();
            if (reportedCycles.Add(string.Join(' ', cycle.Select(o => o.FullName.ToString()).Order(StringComparer.Ordinal))))
            {
                Cycles.Add(cycle);
            }
            return "";
        }
        stack.Add(option);
        try
        {
            var value = ExpandText(option.Group, rawValue(option), [], []);
            cache[option] = value;
            return value;
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private static int IdentifierEnd(string text, int start)
    {
        if (start >= text.Length || !(char.IsAsciiLetter(text[start]) || text[start] == '_'))
        {
            return start;
        }
        var i = start + 1;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
        {
            i++;
        }
        return i;
    }
}

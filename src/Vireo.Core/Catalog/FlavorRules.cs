namespace Vireo.Core;

/// <summary>
/// What makes a new flavor clash with the catalog. Every lookup takes "id or name" (the id
/// first), so like Nova no flavor's id may equal another flavor's id or name, nor its name
/// another's name or id: each reference then means one flavor.
/// </summary>
public static class FlavorRules
{
    /// <summary>The sentence refusing <paramref name="candidate"/> (a Conflict), or null when it fits.</summary>
    public static string? Clash(IEnumerable<Flavor> existing, Flavor candidate)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(candidate);
        foreach (var flavor in existing)
        {
            if (string.Equals(flavor.Id, candidate.Id, StringComparison.Ordinal))
            {
                return $"flavor id '{candidate.Id}' is taken by {flavor.Label}; choose another id";
            }

            if (string.Equals(flavor.Name, candidate.Name, StringComparison.Ordinal))
            {
                return $"flavor name '{candidate.Name}' is taken by {flavor.Label}; choose another name";
            }

            if (string.Equals(flavor.Name, candidate.Id, StringComparison.Ordinal))
            {
                return $"flavor id '{candidate.Id}' is the name of {flavor.Label}, so a lookup by it would be ambiguous; choose another id";
            }

            if (string.Equals(flavor.Id, candidate.Name, StringComparison.Ordinal))
            {
                return $"flavor name '{candidate.Name}' is the id of {flavor.Label}, so a lookup by it would be ambiguous; choose another name";
            }
        }

        return null;
    }
}

namespace Vireo.Core;

/// <summary>What a server name may be.</summary>
public static class ServerNames
{
    /// <summary>Nova's column limit (<c>instances.display_name</c> is String(255)).</summary>
    public const int MaxLength = 255;

    /// <summary>Why the name is refused, as one sentence; null when it is fine.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "a server name is required; give one, e.g. web1";
        }

        if (name.Length > MaxLength)
        {
            return $"server name '{name[..(char.IsHighSurrogate(name[19]) ? 19 : 20)]}...' is {name.Length} characters long; use at most {MaxLength}";
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return $"server name '{name}' starts or ends with white space; remove it";
        }

        if (name.Any(char.IsControl))
        {
            return $"server name '{name.Replace("\n", "\\n", StringComparison.Ordinal)}' contains a control character; use printable characters only";
        }

        // Every lookup takes "id or name"; a name shaped like an id would be ambiguous.
        if (Guid.TryParse(name, out _))
        {
            return $"server name '{name}' looks like a server id; choose a name that is not a UUID";
        }

        return null;
    }

    /// <summary>Throws <see cref="ErrorKind.InvalidInput"/> when the name is refused.</summary>
    public static void EnsureValid(string? name)
    {
        if (Problem(name) is { } problem)
        {
            throw VireoException.InvalidInput(problem);
        }
    }
}

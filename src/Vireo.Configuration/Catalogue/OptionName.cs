namespace Vireo.Configuration.Catalogue;

/// <summary>A group (section) and a key, written <c>[group] name</c>.</summary>
public sealed record OptionName(string Group, string Name)
{
    public override string ToString() => $"[{Group}] {Name}";
}

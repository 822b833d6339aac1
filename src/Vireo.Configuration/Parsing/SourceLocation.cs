namespace Vireo.Configuration.Parsing;

/// <summary>A place in a configuration file: the file's path and a 1-based line number.</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

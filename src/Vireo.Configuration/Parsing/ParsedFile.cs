namespace Vireo.Configuration.Parsing;

/// <summary>One <c>key = value</c> assignment; <see cref="Value"/> joins continuation lines with '\n' as oslo.config does.</summary>
public sealed record ParsedEntry(string Key, string Value, SourceLocation Location);

/// <summary>One <c>[section]</c> block in the order it appears; a section written twice yields two blocks.</summary>
public sealed record ParsedSection(string Name, SourceLocation Location, IReadOnlyList<ParsedEntry> Entries)
{
    /// <summary>oslo.config lower-cases group names except <c>DEFAULT</c>, which must be written exactly so.</summary>
    public string GroupName => Name == "DEFAULT" ? Name : Name.ToLowerInvariant();
}

/// <summary>The syntax tree of one file and its syntax errors (each with a line number).</summary>
public sealed record ParsedFile(string Path, IReadOnlyList<ParsedSection> Sections, IReadOnlyList<ConfigDiagnostic> Errors);

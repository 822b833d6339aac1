using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Loading;

/// <summary>One assignment of a catalogue option found in a file, under its name or a deprecated one.</summary>
internal sealed record Occurrence(string Value, SourceLocation Location, OptionName NameUsed, int FileIndex, int NamePriority, int Order);

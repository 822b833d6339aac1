namespace Vireo.Configuration.Parsing;

/// <summary>The text of one configuration file and the path it is reported under.</summary>
public sealed record ConfigSource(string Path, string Text);

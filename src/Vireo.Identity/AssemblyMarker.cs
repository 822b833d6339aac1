namespace Vireo.Identity;

/// <summary>Names this assembly for reflection in tests (architecture rules).</summary>
public static class AssemblyMarker;

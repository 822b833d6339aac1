namespace Vireo.Virt;

/// <summary>Marks the assembly for reflection-based tests.</summary>
public static class AssemblyMarker;

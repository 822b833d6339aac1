namespace Vireo.CpuModels;

/// <summary>Marks the assembly for reflection-based tests.</summary>
public static class AssemblyMarker;

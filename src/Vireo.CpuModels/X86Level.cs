namespace Vireo.CpuModels;

/// <summary>
/// The x86-64 micro-architecture levels of the System V x86-64 psABI (the levels distributions
/// build for, e.g. RHEL 9 needs v2), with the psABI's CPUID features in libvirt's spelling:
/// SSE3 is <c>pni</c>, LZCNT is <c>abm</c>, SCE is <c>syscall</c>, OSXSAVE is checked as <c>xsave</c>
/// (the OS bit never reaches a guest CPU definition), and long mode (<c>lm</c>) is what makes it
/// x86-64 at all.
/// </summary>
public static class X86Level
{
    public static IReadOnlyList<(string Name, IReadOnlyList<string> Features)> Levels { get; } =
    [
        ("v1", ["lm", "cmov", "cx8", "fpu", "fxsr", "mmx", "syscall", "sse", "sse2"]),
        ("v2", ["cx16", "lahf_lm", "popcnt", "pni", "sse4.1", "sse4.2", "ssse3"]),
        ("v3", ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"]),
        ("v4", ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]),
    ];

    /// <summary>The highest level whose features, and those of every level below it, are all present; null below v1.</summary>
    public static string? Of(CpuMap map, CpuBits bits)
    {
        ArgumentNullException.ThrowIfNull(map);
        string? reached = null;
        foreach (var (name, features) in Levels)
        {
            foreach (var feature in features)
            {
                if (map.FindFeature(feature) is not { } definition || !bits.Contains(definition.Bits))
                {
                    return reached;
                }
            }

            reached = name;
        }

        return reached;
    }

    /// <summary>The features a CPU lacks for a level (and the levels below it), in the psABI's order.</summary>
    public static IReadOnlyList<string> Missing(CpuMap map, CpuBits bits, string level)
    {
        ArgumentNullException.ThrowIfNull(map);
        var missing = new List<string>();
        foreach (var (name, features) in Levels)
        {
            missing.AddRange(features.Where(f => map.FindFeature(f) is not { } d || !bits.Contains(d.Bits)));
            if (name == level)
            {
                return missing;
            }
        }

        throw new ArgumentException($"unknown x86-64 level '{level}'; use v1, v2, v3 or v4", nameof(level));
    }
}

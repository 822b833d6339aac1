namespace Vireo.CpuModels;

/// <param name="Arch">The kernel's architecture (x86_64, ppc64le, aarch64...).</param>
/// <param name="Vendor">x86 <c>vendor_id</c>: GenuineIntel, AuthenticAMD, HygonGenuine.</param>
/// <param name="Flags">x86 <c>flags</c> (vmx, svm, hypervisor...).</param>
/// <param name="Platform">POWER <c>platform</c>: PowerNV (bare metal, KVM-HV possible) or pSeries (an LPAR).</param>
/// <param name="Processor">POWER <c>cpu</c> line, e.g. "POWER8E (raw), altivec supported".</param>
public sealed record CpuFacts(
    string Arch,
    string? Vendor,
    string? ModelName,
    IReadOnlySet<string> Flags,
    string? Platform = null,
    string? Processor = null)
{
    public bool IsX86 => Arch is "x86_64" or "i686" or "i386";

    public bool IsPower => Arch.StartsWith("ppc64", StringComparison.Ordinal);

    public bool HasFlag(string flag) => Flags.Contains(flag);
}

/// <summary>The host CPU as the kernel describes it: /proc/cpuinfo's first processor and /proc/sys/kernel/arch.</summary>
public static class CpuInfoReader
{
    public static CpuFacts Read(IHostFileTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (tree.ReadText("/proc/cpuinfo") ?? "").Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                // The first processor's block answers for all; POWER's platform/machine lines follow the blocks.
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        var flags = (fields.GetValueOrDefault("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var arch = tree.ReadText("/proc/sys/kernel/arch")?.Trim() is { Length: > 0 } a ? a : InferArch(fields, flags);
        return new CpuFacts(
            arch,
            fields.GetValueOrDefault("vendor_id"),
            fields.GetValueOrDefault("model name") ?? fields.GetValueOrDefault("model"),
            flags,
            fields.GetValueOrDefault("platform"),
            fields.GetValueOrDefault("cpu"));
    }

    /// <summary>Kernels before 6.1 have no /proc/sys/kernel/arch; /proc/cpuinfo's fields tell the family.</summary>
    private static string InferArch(Dictionary<string, string> fields, HashSet<string> flags)
    {
        if (fields.ContainsKey("vendor_id"))
        {
            return flags.Contains("lm") ? "x86_64" : "i686";
        }

        if (fields.ContainsKey("platform") || fields.GetValueOrDefault("cpu")?.StartsWith("POWER", StringComparison.Ordinal) == true)
        {
            return "ppc64le";
        }

        return fields.ContainsKey("CPU implementer") ? "aarch64" : "unknown";
    }
}

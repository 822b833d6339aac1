namespace Vireo.Virt.Tests.TestSupport;

/// <summary>
/// CPU facts as plain values, as a libvirt 9.0 daemon gives them (the same names as the map copy in
/// Fixtures/cpu_map, which CpuMapCacheTests checks): what the guest policy and the effective-CPU reader
/// take, so their tests need neither a daemon nor a CPU map.
/// </summary>
internal static class CpuFactValues
{
    public const string Source = "libvirt 9.0 (test values)";

    /// <summary>libvirt 9.0's x86 CPU models, in its order (virsh cpu-models x86_64).</summary>
    public static readonly string[] Libvirt90X86Models =
    [
        "486", "pentium", "pentium2", "pentium3", "pentiumpro", "coreduo", "n270", "core2duo", "qemu32", "kvm32",
        "cpu64-rhel5", "cpu64-rhel6", "qemu64", "kvm64", "Conroe", "Penryn", "Nehalem", "Nehalem-IBRS", "Westmere",
        "Westmere-IBRS", "SandyBridge", "SandyBridge-IBRS", "IvyBridge", "IvyBridge-IBRS", "Haswell-noTSX",
        "Haswell-noTSX-IBRS", "Haswell", "Haswell-IBRS", "Broadwell-noTSX", "Broadwell-noTSX-IBRS", "Broadwell",
        "Broadwell-IBRS", "Skylake-Client", "Skylake-Client-IBRS", "Skylake-Client-noTSX-IBRS", "Skylake-Server",
        "Skylake-Server-IBRS", "Skylake-Server-noTSX-IBRS", "Cascadelake-Server", "Cascadelake-Server-noTSX",
        "Icelake-Client", "Icelake-Client-noTSX", "Icelake-Server", "Icelake-Server-noTSX", "Cooperlake", "Snowridge",
        "athlon", "phenom", "Opteron_G1", "Opteron_G2", "Opteron_G3", "Opteron_G4", "Opteron_G5", "EPYC", "EPYC-IBPB",
        "EPYC-Rome", "EPYC-Milan", "Dhyana",
    ];

    public static CpuModelNames X86 { get; } = new("x86_64", Libvirt90X86Models, Source);

    /// <summary>The names for the arch of <paramref name="settings"/>, as the driver asks for them (null where Nova does not map names).</summary>
    public static CpuModelNames? For(HypervisorSettings settings) =>
        CpuModelNames.MappedOn(settings.Arch) ? new CpuModelNames(settings.Arch, Libvirt90X86Models, Source) : null;

    public static CpuModelFeatures Features(string model, params string[] features) =>
        new(model, features.ToHashSet(StringComparer.Ordinal), Source);
}

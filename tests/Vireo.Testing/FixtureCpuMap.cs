using Vireo.CpuModels;

namespace Vireo.Testing;

/// <summary>
/// libvirt 9.0's CPU map as kept in tests/Vireo.Virt.Tests/Fixtures/cpu_map (each CPU test project copies it beside its assembly), so CPU tests give the
/// same answers whatever libvirt is installed. Only the tests that compare with the live libvirt (virsh) read the installed map.
/// </summary>
public static class FixtureCpuMap
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cpu_map");

    public static CpuMapSet Maps => CpuMapReader.LoadCached(Directory)
        ?? throw new InvalidOperationException($"the test CPU map is missing from {Directory}; it is copied from tests/Vireo.Virt.Tests/Fixtures/cpu_map on build");

    public static CpuMap X86 => Maps.X86;

    /// <summary>A host CPU as <c>virsh capabilities</c> describes one: arch, model, vendor and features without a policy.</summary>
    public static string Host(string model, string? vendor, params string[] features) =>
        $"<cpu><arch>x86_64</arch><model>{model}</model>{(vendor is null ? "" : $"<vendor>{vendor}</vendor>")}"
        + string.Concat(features.Select(f => $"<feature name='{f}'/>")) + "</cpu>\n";

    public static IReadOnlyList<CpuDescription> Hosts(params string[] xml) => CpuDescriptionReader.Read(string.Concat(xml), "hosts.xml");

    public static CpuDescription Cpu(string xml) => CpuDescriptionReader.Read(xml, "cpu.xml").Single();
}

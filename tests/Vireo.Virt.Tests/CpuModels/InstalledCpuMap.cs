using Vireo.Virt.CpuModels;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>libvirt's CPU map as Debian's libvirt0 installs it (scripts/setup-host installs it on every test machine).</summary>
internal static class InstalledCpuMap
{
    public static CpuMapSet Maps => CpuMapReader.LoadInstalled()
        ?? throw new InvalidOperationException($"libvirt's CPU map is not installed at {CpuMapReader.InstalledDirectory}; run scripts/setup-host");

    public static CpuMap X86 => Maps.X86;

    /// <summary>A host CPU as <c>virsh capabilities</c> describes one: arch, model, vendor and features without a policy.</summary>
    public static string Host(string model, string? vendor, params string[] features) =>
        $"<cpu><arch>x86_64</arch><model>{model}</model>{(vendor is null ? "" : $"<vendor>{vendor}</vendor>")}"
        + string.Concat(features.Select(f => $"<feature name='{f}'/>")) + "</cpu>\n";

    public static IReadOnlyList<CpuDescription> Hosts(params string[] xml) => CpuDescriptionReader.Read(string.Concat(xml), "hosts.xml");

    public static CpuDescription Cpu(string xml) => CpuDescriptionReader.Read(xml, "cpu.xml").Single();
}

namespace Vireo.Virt;

/// <summary>What the host runs, as Nova reports and checks it at start-up (Nova: MIN_LIBVIRT_VERSION and MIN_QEMU_VERSION in nova/virt/libvirt/driver.py).</summary>
/// <param name="LibvirtLibrary">The libvirt library loaded into this process.</param>
/// <param name="LibvirtDaemon">The libvirt the daemon behind <paramref name="ConnectionUri"/> runs.</param>
/// <param name="HypervisorType">libvirt's driver name, e.g. "QEMU" (Nova's hypervisor_type).</param>
/// <param name="Hypervisor">The hypervisor's version, QEMU's for qemu:// (Nova's hypervisor_version).</param>
public sealed record HostVersions(
    string ConnectionUri,
    Version LibvirtLibrary,
    Version LibvirtDaemon,
    string HypervisorType,
    Version Hypervisor,
    string Hostname);

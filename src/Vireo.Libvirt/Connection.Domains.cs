using System.Runtime.InteropServices;
using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

public sealed partial class Connection
{
    public IReadOnlyList<Domain> ListAllDomains(DomainListFlags flags = DomainListFlags.All)
    {
        var count = Checked.Int(NativeMethods.virConnectListAllDomains(handle, out var array, (uint)flags), "virConnectListAllDomains");
        try
        {
            var domains = new Domain[count];
            for (var i = 0; i < count; i++)
            {
                domains[i] = new Domain(new DomainHandle(Marshal.ReadIntPtr(array, i * IntPtr.Size)));
            }
            return domains;
        }
        finally
        {
            NativeMethods.free(array);
        }
    }

    public Domain LookupDomainByUuid(Guid uuid) =>
        Wrap(NativeMethods.virDomainLookupByUUIDString(handle, uuid.ToString("D")), "virDomainLookupByUUIDString");

    public Domain LookupDomainByName(string name) =>
        Wrap(NativeMethods.virDomainLookupByName(handle, name), "virDomainLookupByName");

    /// <summary>The domain, or null when libvirt has none with this UUID.</summary>
    public Domain? TryLookupDomainByUuid(Guid uuid)
    {
        try
        {
            return LookupDomainByUuid(uuid);
        }
        catch (LibvirtNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Defines (or redefines) a persistent domain; <paramref name="validate"/> checks the XML against libvirt's schema.</summary>
    public Domain DefineDomain(string xml, bool validate = false) =>
        Wrap(NativeMethods.virDomainDefineXMLFlags(handle, xml, validate ? 1u : 0u), "virDomainDefineXMLFlags");

    /// <summary>Creates and starts a transient domain; with AutoDestroy it dies with this connection.</summary>
    public Domain CreateTransientDomain(string xml, DomainCreateFlags flags = DomainCreateFlags.None) =>
        Wrap(NativeMethods.virDomainCreateXML(handle, xml, (uint)flags), "virDomainCreateXML");

    /// <summary>
    /// The CPU model names this daemon knows for an architecture (virConnectGetCPUModelNames), in its
    /// order: what Nova's host.get_cpu_model_names returns. The array and each string are the caller's
    /// to free (libvirt-host.h), and are freed here.
    /// </summary>
    public IReadOnlyList<string> GetCpuModelNames(string arch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arch);
        var count = Checked.Int(NativeMethods.virConnectGetCPUModelNames(handle, arch, out var array, 0), "virConnectGetCPUModelNames");
        if (array == 0)
        {
            return [];
        }

        try
        {
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                var name = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                names[i] = Marshal.PtrToStringUTF8(name) ?? string.Empty;
            }

            return names;
        }
        finally
        {
            // NULL-terminated: free every element up to the terminator, including any past count.
            for (var i = 0; ; i++)
            {
                var name = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                if (name == 0)
                {
                    break;
                }

                NativeMethods.free(name);
            }

            NativeMethods.free(array);
        }
    }

    /// <summary>Compares a guest &lt;cpu&gt; with what the hypervisor can provide for the given virt type (virConnectCompareHypervisorCPU).</summary>
    public CpuCompareResult CompareHypervisorCpu(string cpuXml, string? virtType = null, string? arch = null, string? machine = null, string? emulator = null)
    {
        var rc = NativeMethods.virConnectCompareHypervisorCPU(handle, emulator, arch, machine, virtType, cpuXml, 0);
        return (CpuCompareResult)Checked.Int(rc, "virConnectCompareHypervisorCPU");
    }

    /// <summary>The most capable &lt;cpu&gt; that every given CPU and this hypervisor can run (virConnectBaselineHypervisorCPU).</summary>
    public string BaselineHypervisorCpu(IReadOnlyList<string> cpuXmls, string? virtType = null, string? arch = null, string? machine = null,
        string? emulator = null, CpuBaselineFlags flags = CpuBaselineFlags.None)
    {
        ArgumentNullException.ThrowIfNull(cpuXmls);
        var strings = new nint[cpuXmls.Count];
        try
        {
            for (var i = 0; i < strings.Length; i++)
            {
                strings[i] = Marshal.StringToCoTaskMemUTF8(cpuXmls[i]);
            }
            unsafe
            {
                fixed (nint* array = strings)
                {
                    return Checked.OwnedString(
                        NativeMethods.virConnectBaselineHypervisorCPU(handle, emulator, arch, machine, virtType, (nint)array, (uint)strings.Length, (uint)flags),
                        "virConnectBaselineHypervisorCPU");
                }
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    private static Domain Wrap(nint ptr, string call) => new(new DomainHandle(Checked.Ptr(ptr, call)));
}

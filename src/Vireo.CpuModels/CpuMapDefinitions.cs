namespace Vireo.CpuModels;

/// <summary>A CPU vendor of the map (<c>x86_vendors.xml</c>: <c>&lt;vendor name='Intel' string='GenuineIntel'/&gt;</c>).</summary>
/// <param name="VendorString">The CPUID leaf 0 vendor string; null on architectures without one.</param>
public sealed record CpuVendorDefinition(string Name, string? VendorString);

public enum CpuDataKind
{
    Cpuid,
    Msr,
}

public enum CpuRegister
{
    Eax,
    Ebx,
    Ecx,
    Edx,
}

/// <summary>
/// Bits of one register a feature is made of: <c>&lt;cpuid eax_in='0x01' ecx='0x00000020'/&gt;</c> is
/// CPUID leaf 1, sub-leaf 0, ECX mask 0x20 (vmx); <c>&lt;msr index='0x10a' edx='0' eax='0x1'/&gt;</c> is
/// bit 0 of EAX read from MSR 0x10a (IA32_ARCH_CAPABILITIES).
/// </summary>
/// <param name="Index">The CPUID leaf (eax_in) or the MSR index.</param>
/// <param name="SubIndex">The CPUID sub-leaf (ecx_in); 0 for MSRs.</param>
public sealed record CpuDataItem(CpuDataKind Kind, uint Index, uint SubIndex, CpuRegister Register, uint Mask)
{
    public override string ToString() => Kind == CpuDataKind.Cpuid
        ? FormattableString.Invariant($"cpuid 0x{Index:x}.{SubIndex} {Register.ToString().ToLowerInvariant()}&0x{Mask:x8}")
        : FormattableString.Invariant($"msr 0x{Index:x} {Register.ToString().ToLowerInvariant()}&0x{Mask:x8}");
}

/// <summary>
/// A feature of the map (<c>x86_features.xml</c>). <see cref="Bits"/> is empty on architectures
/// whose map does not describe features by register bits (ARM lists names only).
/// </summary>
/// <param name="Order">Position in the map; libvirt lists features in this order.</param>
/// <param name="Migratable">False for <c>migratable='no'</c> features (invtsc, xsaves) that block live migration.</param>
/// <param name="Aliases">Other spellings, e.g. QEMU's <c>sse3</c> for <c>pni</c>; libvirt accepts only <see cref="Name"/> in CPU XML.</param>
public sealed record CpuFeatureDefinition(
    string Name,
    int Order,
    CpuBits Bits,
    IReadOnlyList<CpuDataItem> Data,
    bool Migratable,
    IReadOnlyList<CpuFeatureAlias> Aliases);

public sealed record CpuFeatureAlias(string Name, string? Source);

/// <summary>A CPU signature a model is meant for: family, model and (optionally) stepping ranges such as <c>0-4</c>.</summary>
public sealed record CpuSignature(int Family, int Model, string? Stepping = null);

/// <summary>
/// A named CPU model of the map, with everything it inherits resolved: a model that names
/// another (<c>&lt;model name='IvyBridge'/&gt;</c> inside it, the form of libvirt's versioned
/// aliases) starts from that model's vendor, signatures and features.
/// </summary>
/// <param name="Order">Position in the map (index.xml's include order); libvirt tries models from the last one back.</param>
/// <param name="Bits">The model's features as register bits, inherited ones included and removed ones excluded.</param>
/// <param name="RemovedFeatures">Features the model lists with <c>removed='yes'</c>: libvirt disables them explicitly in guest CPUs it writes.</param>
/// <param name="DecodeHost">Whether libvirt may describe a host CPU with this model (<c>&lt;decode host&gt;</c>).</param>
/// <param name="DecodeGuest">Whether libvirt may pick this model when it computes a guest CPU, as a baseline does (<c>&lt;decode guest&gt;</c>).</param>
/// <param name="Ancestor">The model this one is defined from, if any.</param>
public sealed record CpuModelDefinition(
    string Name,
    int Order,
    string? Vendor,
    IReadOnlyList<CpuSignature> Signatures,
    CpuBits Bits,
    IReadOnlyList<string> RemovedFeatures,
    bool DecodeHost,
    bool DecodeGuest,
    string? Ancestor);

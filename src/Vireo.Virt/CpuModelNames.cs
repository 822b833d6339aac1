namespace Vireo.Virt;

/// <summary>
/// The CPU model names the connected libvirt daemon knows for one guest architecture, as
/// <c>virConnectGetCPUModelNames</c> lists them (Nova's host.get_cpu_model_names), with Nova's
/// case-insensitive lookup (nova/virt/libvirt/driver.py, _get_cpu_model_mapping). A value: the
/// guest policy takes it as given, and the driver reads it from the daemon it is connected to.
/// </summary>
public sealed class CpuModelNames
{
    private readonly Dictionary<string, string> byLowerCase = new(StringComparer.Ordinal);

    /// <param name="arch">The guest architecture the names were asked for (<c>x86_64</c>).</param>
    /// <param name="names">libvirt's spellings, in its order.</param>
    /// <param name="source">Where the names come from, for messages (<c>libvirt at qemu:///system</c>).</param>
    public CpuModelNames(string arch, IEnumerable<string> names, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arch);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Arch = arch;
        Source = source;
        Names = [.. names];
        foreach (var name in Names)
        {
            // Nova builds {name.lower(): name}: a later name wins if two differ only by case.
            byLowerCase[name.ToLowerInvariant()] = name;
        }
    }

    public string Arch { get; }

    public IReadOnlyList<string> Names { get; }

    public string Source { get; }

    /// <summary>
    /// Whether Nova maps <c>cpu_models</c> on this guest architecture at all: x86 and POWER;
    /// elsewhere it writes the names as configured (_get_cpu_model_mapping).
    /// </summary>
    public static bool MappedOn(string arch) => arch is "x86_64" or "i686" or "ppc64" or "ppc64le" or "ppc";

    /// <summary>libvirt's spelling of a model name given in any case (<c>westmere</c> -> <c>Westmere</c>); null when the daemon has no such model.</summary>
    public string? Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byLowerCase.GetValueOrDefault(name.ToLowerInvariant());
    }

    /// <summary>One sentence for a name the daemon does not know: the option, the value, and the names it does know.</summary>
    public string UnknownModelMessage(string name, string option)
    {
        ArgumentNullException.ThrowIfNull(name);
        return $"{option} names CPU model '{name}', which {Source} does not know for {Arch}; use one of its {Names.Count} models: {string.Join(", ", Names)}";
    }

    public override string ToString() => $"{Names.Count} CPU models of {Source} for {Arch}";
}

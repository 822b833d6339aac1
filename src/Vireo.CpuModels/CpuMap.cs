namespace Vireo.CpuModels;

/// <summary>
/// libvirt's CPU map of one architecture family (<c>&lt;arch name='x86'&gt;</c> of
/// <c>/usr/share/libvirt/cpu_map/index.xml</c>): vendors, features and named models, in the
/// map's order. Read once by <see cref="CpuMapReader"/>; lookups are exact, as in libvirt,
/// except <see cref="ResolveModelName"/>, which matches names the way Nova does.
/// </summary>
public sealed class CpuMap
{
    private readonly Dictionary<string, CpuVendorDefinition> vendors;
    private readonly Dictionary<string, CpuFeatureDefinition> features;
    private readonly Dictionary<string, CpuFeatureDefinition> aliases;
    private readonly Dictionary<string, CpuModelDefinition> models;
    private readonly Dictionary<string, string> lowerCaseModelNames;

    internal CpuMap(
        string arch,
        int bitCount,
        IReadOnlyList<CpuVendorDefinition> vendorList,
        IReadOnlyList<CpuFeatureDefinition> featureList,
        IReadOnlyList<CpuModelDefinition> modelList)
    {
        Arch = arch;
        BitCount = bitCount;
        Vendors = vendorList;
        Features = featureList;
        Models = modelList;
        vendors = vendorList.ToDictionary(v => v.Name, StringComparer.Ordinal);
        features = featureList.ToDictionary(f => f.Name, StringComparer.Ordinal);
        aliases = new Dictionary<string, CpuFeatureDefinition>(StringComparer.Ordinal);
        foreach (var feature in featureList)
        {
            foreach (var alias in feature.Aliases)
            {
                aliases.TryAdd(alias.Name, feature);
            }
        }

        models = modelList.ToDictionary(m => m.Name, StringComparer.Ordinal);

        // Nova's _get_cpu_model_mapping: {name.lower(): name} over getCPUModelNames(); a later
        // name wins if two differ only by case.
        lowerCaseModelNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in modelList)
        {
            lowerCaseModelNames[model.Name.ToLowerInvariant()] = model.Name;
        }
    }

    /// <summary>libvirt's name of the architecture family: <c>x86</c>, <c>ppc64</c> or <c>arm</c>.</summary>
    public string Arch { get; }

    /// <summary>How many distinct register bits the features use; 0 where features are names only.</summary>
    public int BitCount { get; }

    /// <summary>True when features are described by CPUID/MSR bits (x86), which baseline and compare need.</summary>
    public bool HasFeatureBits => BitCount > 0;

    public IReadOnlyList<CpuVendorDefinition> Vendors { get; }

    public IReadOnlyList<CpuFeatureDefinition> Features { get; }

    public IReadOnlyList<CpuModelDefinition> Models { get; }

    public CpuBits NoBits => CpuBits.Empty(BitCount);

    public CpuVendorDefinition? FindVendor(string name) => vendors.GetValueOrDefault(name);

    public CpuFeatureDefinition? FindFeature(string name) => features.GetValueOrDefault(name);

    /// <summary>The feature another program's spelling stands for (QEMU's <c>sse3</c> is libvirt's <c>pni</c>).</summary>
    public CpuFeatureDefinition? FindFeatureByAlias(string alias) => aliases.GetValueOrDefault(alias);

    public CpuModelDefinition? FindModel(string name) => models.GetValueOrDefault(name);

    /// <summary>
    /// libvirt's spelling of a model name given in any case (<c>ivybridge</c> -> <c>IvyBridge</c>), as
    /// Nova maps <c>[libvirt] cpu_models</c>; null when the map has no such model.
    /// </summary>
    public string? ResolveModelName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return lowerCaseModelNames.GetValueOrDefault(name.ToLowerInvariant());
    }

    /// <summary>
    /// The names of the features whose bits are all in <paramref name="bits"/>, in map order
    /// (libvirt's x86FeatureNames: what <c>virsh cpu-baseline --features</c> would list).
    /// </summary>
    public IReadOnlyList<string> FeatureNames(CpuBits bits)
    {
        var names = new List<string>();
        foreach (var feature in Features)
        {
            if (!feature.Bits.IsEmpty && bits.Contains(feature.Bits))
            {
                names.Add(feature.Name);
            }
        }

        return names;
    }

    /// <summary>Every feature of a model, inherited ones included, in map order.</summary>
    public IReadOnlyList<string> FeatureNames(CpuModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return FeatureNames(model.Bits);
    }

    /// <summary>The bits of the named features; unknown names are left out (callers check names first).</summary>
    public CpuBits BitsOf(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var bits = NoBits;
        foreach (var name in names)
        {
            if (FindFeature(name) is { } feature)
            {
                bits = bits.Union(feature.Bits);
            }
        }

        return bits;
    }

    /// <summary>
    /// A one-sentence reason for an unknown feature name, with the fix: the canonical name when
    /// it is an alias or differs only by case.
    /// </summary>
    public string UnknownFeatureMessage(string name, string where)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (FindFeatureByAlias(name) is { } aliased)
        {
            return $"{where} names CPU feature '{name}', which is {aliased.Name} in libvirt's CPU map; write '{aliased.Name}'";
        }

        var sameLetters = Features.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        return sameLetters is not null
            ? $"{where} names CPU feature '{name}', which libvirt spells '{sameLetters.Name}' (feature names are case-sensitive); write '{sameLetters.Name}'"
            : $"{where} names CPU feature '{name}', which libvirt's {Arch} CPU map does not have; use a feature name from /usr/share/libvirt/cpu_map/{Arch}_features.xml";
    }

    /// <summary>A one-sentence reason for an unknown model name, with the fix.</summary>
    public string UnknownModelMessage(string name, string where)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ResolveModelName(name) is { } spelled
            ? $"{where} names CPU model '{name}', which libvirt spells '{spelled}' (model names are case-sensitive in CPU XML); write '{spelled}'"
            : $"{where} names CPU model '{name}', which libvirt's {Arch} CPU map does not have; run 'vireo cpu models' for the models of this host";
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Vireo.Core;

namespace Vireo.CpuModels;

/// <summary>
/// Reads libvirt's CPU map the way libvirt's cpu_map.c and cpu_x86.c do: <c>index.xml</c> lists,
/// per architecture, files to include (or holds the elements inline, as the old single
/// <c>cpu_map.xml</c> did) in an order that matters, because a model may only name a model
/// defined before it, and decoding walks the models from the last one back. Nothing here needs
/// libvirtd: the map is plain files, so baseline and compare work offline.
/// </summary>
public static class CpuMapReader
{
    /// <summary>Where Debian's libvirt0 package installs the map.</summary>
    public const string InstalledDirectory = "/usr/share/libvirt/cpu_map";

    /// <summary>Maps already read, by full directory path, so two directories never share an entry.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<CpuMapSet?>> Cached = new(StringComparer.Ordinal);

    /// <summary>The map installed on this host, read once; null when libvirt is not installed here.</summary>
    public static CpuMapSet? LoadInstalled() => LoadCached(InstalledDirectory);

    /// <summary>The map in <paramref name="directory"/>, read once per directory; null when it has no <c>index.xml</c>.</summary>
    public static CpuMapSet? LoadCached(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.GetFullPath(directory);
        return Cached.GetOrAdd(full, d => new Lazy<CpuMapSet?>(() => File.Exists(Path.Combine(d, "index.xml")) ? Load(d) : null)).Value;
    }

    public static CpuMapSet Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Read(name =>
        {
            var path = Path.Combine(directory, name);
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new VireoException(
                    ErrorKind.Configuration,
                    $"libvirt's CPU map file {path} cannot be read ({e.Message}); reinstall libvirt (Debian package libvirt0), which provides {InstalledDirectory}",
                    e);
            }
        }, directory);
    }

    /// <summary>Parses a map from its files; <paramref name="readFile"/> gets names relative to the map's directory.</summary>
    public static CpuMapSet Read(Func<string, string> readFile, string location = "cpu_map")
    {
        ArgumentNullException.ThrowIfNull(readFile);
        var index = Parse(readFile("index.xml"), $"{location}/index.xml");
        var maps = new Dictionary<string, CpuMap>(StringComparer.Ordinal);
        foreach (var arch in index.Elements("arch"))
        {
            var name = Required(arch, "name", $"{location}/index.xml");
            var builder = new ArchBuilder(name, location);
            foreach (var element in arch.Elements())
            {
                if (element.Name == "include")
                {
                    var file = Required(element, "filename", $"{location}/index.xml");
                    foreach (var child in Parse(readFile(file), $"{location}/{file}").Elements())
                    {
                        builder.Add(child, file);
                    }
                }
                else
                {
                    builder.Add(element, "index.xml");
                }
            }

            maps[name] = builder.Build();
        }

        return new CpuMapSet(maps);
    }

    private static XElement Parse(string xml, string where)
    {
        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new VireoException(ErrorKind.Configuration, $"libvirt's CPU map file {where} is not XML ({e.Message}); reinstall libvirt (Debian package libvirt0)", e);
        }
    }

    private static string Required(XElement element, string attribute, string where) =>
        element.Attribute(attribute)?.Value
        ?? throw Broken(where, $"a <{element.Name}> element has no {attribute} attribute");

    private static VireoException Broken(string where, string what) =>
        new(ErrorKind.Configuration, $"libvirt's CPU map file {where} is not valid: {what}; reinstall libvirt (Debian package libvirt0)");

    /// <summary>libvirt's virXMLPropUInt with base 0, which is C's strtoul: <c>0x</c> hex, a leading 0 octal, else decimal.</summary>
    internal static uint ParseNumber(string text, string where)
    {
        var value = text.Trim();
        var ok = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            : value.Length > 1 && value[0] == '0'
                ? TryParseOctal(value, out number)
                : uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        return ok ? number : throw Broken(where, $"'{text}' is not a number");
    }

    private static bool TryParseOctal(string text, out uint value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '7' || value > (uint.MaxValue >> 3))
            {
                return false;
            }

            value = (value << 3) | (uint)(c - '0');
        }

        return true;
    }

    /// <summary>Collects one architecture's vendors, features and models in map order.</summary>
    private sealed class ArchBuilder(string arch, string location)
    {
        private readonly List<CpuVendorDefinition> vendors = [];
        private readonly List<(string Name, List<CpuDataItem> Data, bool Migratable, List<CpuFeatureAlias> Aliases)> features = [];
        private readonly Dictionary<(CpuDataKind, uint, uint, CpuRegister, int), int> bitIndexes = [];
        private readonly List<XElement> modelElements = [];
        private readonly List<string> modelFiles = [];

        public void Add(XElement element, string file)
        {
            var where = $"{location}/{file}";
            switch (element.Name.LocalName)
            {
                case "vendor":
                    vendors.Add(new CpuVendorDefinition(Required(element, "name", where), element.Attribute("string")?.Value));
                    break;
                case "feature":
                    AddFeature(element, where);
                    break;
                case "model":
                    modelElements.Add(element);
                    modelFiles.Add(where);
                    break;
                default:
                    // Other elements (comments are not elements; future additions) carry nothing a map user needs.
                    break;
            }
        }

        public CpuMap Build()
        {
            var featureDefinitions = features
                .Select((f, order) => new CpuFeatureDefinition(
                    f.Name,
                    order,
                    CpuBits.Of(bitIndexes.Count, f.Data.SelectMany(BitIndexesOf)),
                    f.Data,
                    f.Migratable,
                    f.Aliases))
                .ToList();
            var byName = new Dictionary<string, CpuFeatureDefinition>(StringComparer.Ordinal);
            foreach (var feature in featureDefinitions)
            {
                if (!byName.TryAdd(feature.Name, feature))
                {
                    throw Broken($"{location} ({arch})", $"CPU feature {feature.Name} is defined twice");
                }
            }

            var models = new List<CpuModelDefinition>();
            var modelsByName = new Dictionary<string, CpuModelDefinition>(StringComparer.Ordinal);
            for (var i = 0; i < modelElements.Count; i++)
            {
                var model = ParseModel(modelElements[i], modelFiles[i], models.Count, byName, modelsByName);
                if (!modelsByName.TryAdd(model.Name, model))
                {
                    throw Broken(modelFiles[i], $"CPU model {model.Name} is defined twice");
                }

                models.Add(model);
            }

            return new CpuMap(arch, bitIndexes.Count, vendors, featureDefinitions, models);
        }

        private void AddFeature(XElement element, string where)
        {
            var name = Required(element, "name", where);
            var data = new List<CpuDataItem>();
            var featureAliases = new List<CpuFeatureAlias>();
            foreach (var child in element.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "alias":
                        featureAliases.Add(new CpuFeatureAlias(Required(child, "name", where), child.Attribute("source")?.Value));
                        break;
                    case "cpuid":
                        var leaf = ParseNumber(Required(child, "eax_in", where), where);
                        var subLeaf = Number(child, "ecx_in", where);
                        AddRegisters(data, CpuDataKind.Cpuid, leaf, subLeaf, child, where, "eax", "ebx", "ecx", "edx");
                        break;
                    case "msr":
                        var index = ParseNumber(Required(child, "index", where), where);
                        AddRegisters(data, CpuDataKind.Msr, index, 0, child, where, "eax", "edx");
                        break;
                    default:
                        throw Broken(where, $"feature {name} has an unknown <{child.Name}> element");
                }
            }

            if (arch == "x86" && data.Count == 0)
            {
                // cpu_x86.c refuses such a feature too ("no x86 CPU data found").
                throw Broken(where, $"feature {name} has no CPUID or MSR bits");
            }

            foreach (var item in data)
            {
                foreach (var bit in Bits(item.Mask))
                {
                    bitIndexes.TryAdd((item.Kind, item.Index, item.SubIndex, item.Register, bit), bitIndexes.Count);
                }
            }

            features.Add((name, data, element.Attribute("migratable")?.Value != "no", featureAliases));
        }

        private static void AddRegisters(List<CpuDataItem> data, CpuDataKind kind, uint index, uint subIndex, XElement element, string where, params string[] registers)
        {
            foreach (var register in registers)
            {
                var mask = Number(element, register, where);
                if (mask != 0)
                {
                    data.Add(new CpuDataItem(kind, index, subIndex, Enum.Parse<CpuRegister>(register, ignoreCase: true), mask));
                }
            }
        }

        private static uint Number(XElement element, string attribute, string where) =>
            element.Attribute(attribute) is { } value ? ParseNumber(value.Value, where) : 0;

        private IEnumerable<int> BitIndexesOf(CpuDataItem item) =>
            Bits(item.Mask).Select(bit => bitIndexes[(item.Kind, item.Index, item.SubIndex, item.Register, bit)]);

        private static IEnumerable<int> Bits(uint mask)
        {
            for (var bit = 0; bit < 32; bit++)
            {
                if ((mask & (1U << bit)) != 0)
                {
                    yield return bit;
                }
            }
        }

        /// <summary>cpu_x86.c x86ModelParse: decode, then ancestor, signatures, vendor, features, in that order.</summary>
        private CpuModelDefinition ParseModel(
            XElement element,
            string where,
            int order,
            Dictionary<string, CpuFeatureDefinition> featuresByName,
            Dictionary<string, CpuModelDefinition> earlier)
        {
            var name = Required(element, "name", where);
            var decode = element.Element("decode");

            // Maps older than libvirt 7.x have no <decode>; their models served both purposes.
            var decodeHost = decode?.Attribute("host")?.Value != "off";
            var decodeGuest = decode?.Attribute("guest")?.Value != "off";

            string? vendor = null;
            IReadOnlyList<CpuSignature> signatures = [];
            var bits = CpuBits.Empty(bitIndexes.Count);
            string? ancestorName = null;
            if (element.Element("model") is { } ancestorElement)
            {
                ancestorName = Required(ancestorElement, "name", where);
                var ancestor = earlier.GetValueOrDefault(ancestorName)
                    ?? throw Broken(where, $"CPU model {name} is based on {ancestorName}, which is not defined before it");
                vendor = ancestor.Vendor;
                signatures = ancestor.Signatures;
                bits = ancestor.Bits;
            }

            var signatureElements = element.Elements("signature").ToList();
            if (signatureElements.Count > 0)
            {
                signatures = [.. signatureElements.Select(s => new CpuSignature(
                    (int)ParseNumber(Required(s, "family", where), where),
                    (int)ParseNumber(Required(s, "model", where), where),
                    s.Attribute("stepping")?.Value))];
            }

            if (element.Element("vendor") is { } vendorElement)
            {
                vendor = Required(vendorElement, "name", where);
                if (!vendors.Any(v => v.Name == vendor))
                {
                    throw Broken(where, $"CPU model {name} names vendor {vendor}, which the map does not define");
                }
            }

            var removed = new List<string>();
            foreach (var featureElement in element.Elements("feature"))
            {
                var featureName = Required(featureElement, "name", where);
                if (!featuresByName.TryGetValue(featureName, out var feature))
                {
                    if (arch == "x86")
                    {
                        throw Broken(where, $"CPU model {name} requires feature {featureName}, which the map does not define");
                    }

                    continue;
                }

                if (featureElement.Attribute("removed")?.Value == "yes")
                {
                    removed.Add(featureName);
                    continue;
                }

                bits = bits.Union(feature.Bits);
            }

            return new CpuModelDefinition(name, order, vendor, signatures, bits, removed, decodeHost, decodeGuest, ancestorName);
        }
    }
}

/// <summary>The CPU maps of every architecture family in one libvirt installation.</summary>
public sealed class CpuMapSet(IReadOnlyDictionary<string, CpuMap> maps)
{
    public IReadOnlyDictionary<string, CpuMap> Maps { get; } = maps;

    /// <summary>The x86 map, which every x86_64 and i686 guest uses.</summary>
    public CpuMap X86 => Maps.GetValueOrDefault("x86")
        ?? throw new VireoException(ErrorKind.Configuration, "libvirt's CPU map has no x86 architecture; reinstall libvirt (Debian package libvirt0)");

    /// <summary>
    /// The map for a guest architecture as libvirt names it (x86_64, i686 -> x86; ppc64, ppc64le,
    /// ppc -> ppc64; aarch64, armv7l -> arm); null for architectures libvirt has no map for.
    /// </summary>
    public CpuMap? ForGuestArch(string arch) => arch switch
    {
        "x86_64" or "i686" => Maps.GetValueOrDefault("x86"),
        "ppc64" or "ppc64le" or "ppc" => Maps.GetValueOrDefault("ppc64"),
        "aarch64" or "armv7l" => Maps.GetValueOrDefault("arm"),
        _ => null,
    };
}

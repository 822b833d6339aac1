using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Vireo.Configuration.Catalogue;

namespace Vireo.Architecture.Tests;

/// <summary>
/// The catalogue tells the truth: an option marked implemented (its consumer is in <see cref="Components.Implemented"/>)
/// is bound to an option-record member that product code reads, outside the configuration layer and outside the host
/// check (which only reports on the host). Otherwise <c>vireo config check</c> would stay silent about an option that
/// does nothing.
/// </summary>
public sealed class OptionConsumerTests
{
    /// <summary>Options the configuration layer itself acts on; nothing else has to read them. Each says why.</summary>
    private static readonly Dictionary<string, string> ConsumedByConfiguration = new(StringComparer.Ordinal)
    {
        ["DEFAULT.compute_driver"] = "validation is its whole effect: the only accepted value is libvirt.LibvirtDriver, the one driver Vireo runs; every other value is refused",
        ["DEFAULT.my_ip"] = "its use is as $my_ip in the values of other options, which the configuration layer interpolates",
    };

    [Fact]
    public void Every_option_marked_implemented_is_read_by_product_code()
    {
        var unconsumed = Unconsumed(ImplementedFields().Keys).Select(f => ImplementedFields()[f])
            .Where(o => !ConsumedByConfiguration.ContainsKey(Key(o)))
            .Select(o => $"{o.FullName} (consumer: {o.Consumer})").ToList();

        unconsumed.ShouldBeEmpty("these options are marked implemented but no code outside src/Vireo.Configuration and src/Vireo.HostCheck reads "
            + "their bound value: give them a Component that is not in Components.Implemented (config check then warns when they are set), or make the code act on them");
    }

    [Fact]
    public void Each_exemption_is_an_implemented_option_that_nothing_else_reads()
    {
        var unconsumed = Unconsumed(ImplementedFields().Keys).Select(f => Key(ImplementedFields()[f])).ToHashSet(StringComparer.Ordinal);

        ConsumedByConfiguration.Keys.Where(k => !unconsumed.Contains(k)).ShouldBeEmpty("an exemption that is read elsewhere, or not implemented, is stale: remove it");
    }

    [Fact]
    public void The_scanner_finds_the_bindings_and_readers_of_known_options()
    {
        // Guards the rule above from passing on a scanner that sees everything as read.
        var bindings = OptionConsumers.Bindings(Configuration());
        Names(bindings["Libvirt.ImagesType"]).ShouldBe("LibvirtOptions.ImagesType LibvirtOptions.ImagesTypeName");
        Names(bindings["Default.UseCowImages"]).ShouldBe("DefaultOptions.UseCowImages LibvirtOptions.ImagesType");
        bindings["Database.Connection"].ShouldContain("DatabaseOptions.SqlitePath");
        Names(bindings["Libvirt.LiveMigrationUri"]).ShouldBe("LiveMigrationOptions.Uri");

        var read = ReadByProduct();
        read.ShouldContain("DefaultOptions.ForceRawImages");
        read.ShouldContain("LibvirtOptions.EffectiveConnectionUri");
        read.ShouldContain("LibvirtOptions.ImagesTypeName");
        read.ShouldContain("DefaultOptions.UseCowImages");
        read.ShouldContain("ImageCacheOptions.ManagerIntervalSeconds");

        Unconsumed(["Libvirt.ConnectionUri"]).ShouldBeEmpty("EffectiveConnectionUri, which reads ConnectionUri, is read by the composition root");
        Unconsumed(["Libvirt.ImagesType", "Default.UseCowImages"]).ShouldBeEmpty("the composition root chooses the image backend from them");
    }

    [Fact]
    public void A_bound_member_read_only_by_the_host_check_or_not_at_all_is_unconsumed()
    {
        var configuration = Compile("Synthetic.Configuration", [], """
            namespace Vireo.Configuration.Catalogue
            {
                public sealed class OptionDefinition { }
                public static class NovaOptions
                {
                    public static class Default
                    {
                        public static readonly OptionDefinition Read = new(), ThroughLocal = new(), Derived = new(), HostCheckOnly = new(), Never = new();
                    }
                }
            }
            namespace Vireo.Configuration.Options
            {
                public sealed record DefaultOptions
                {
                    public int Read { get; init; }
                    public int ThroughLocal { get; init; }
                    public string? Raw { get; init; }
                    public string Effective => Raw ?? "x";
                    public int HostCheckOnly { get; init; }
                    public int Never { get; init; }
                }
            }
            namespace Vireo.Configuration.Loading
            {
                using Vireo.Configuration.Catalogue;
                using Vireo.Configuration.Options;
                using D = Vireo.Configuration.Catalogue.NovaOptions.Default;
                internal static class Binder
                {
                    public static DefaultOptions Bind()
                    {
                        var local = V(D.ThroughLocal) + 1;
                        return new DefaultOptions { Read = V(D.Read), ThroughLocal = local, Raw = V(D.Derived).ToString(), HostCheckOnly = V(D.HostCheckOnly), Never = V(D.Never) };
                    }
                    private static int V(OptionDefinition option) => option.GetHashCode();
                }
            }
            """);
        var product = Compile("Synthetic.Product", [configuration.ToMetadataReference()],
            ("src/Product/Uses.cs", """
                public static class Uses
                {
                    public static int M(Vireo.Configuration.Options.DefaultOptions o) => o.Read + o.ThroughLocal + o.Effective.Length;
                    public static Vireo.Configuration.Options.DefaultOptions W(Vireo.Configuration.Options.DefaultOptions o) => o with { Never = 1 };
                }
                """),
            ("src/Product/HostReadiness/Check.cs", """
                public static class Check
                {
                    public static int M(Vireo.Configuration.Options.DefaultOptions o) => o.HostCheckOnly;
                }
                """));

        var read = OptionConsumers.ReadMembers(product, path => !path.Contains("HostReadiness", StringComparison.Ordinal));
        var unconsumed = OptionConsumers.Unconsumed(
            ["Default.Read", "Default.ThroughLocal", "Default.Derived", "Default.HostCheckOnly", "Default.Never"],
            OptionConsumers.Bindings(configuration), OptionConsumers.Derivations(configuration), read);

        Names(unconsumed).ShouldBe("Default.HostCheckOnly Default.Never");
    }

    private static string Names(IEnumerable<string> names) => string.Join(' ', names.Order(StringComparer.Ordinal));

    private static string Key(OptionDefinition option) => $"{option.Group}.{option.Name}";

    /// <summary>Catalogue field ("Default.UseCowImages") to option, for every option whose consumer is implemented.</summary>
    private static Dictionary<string, OptionDefinition> ImplementedFields()
    {
        var fields = new Dictionary<string, OptionDefinition>(StringComparer.Ordinal);
        foreach (var holder in typeof(NovaOptions).GetNestedTypes(BindingFlags.Public))
        {
            foreach (var field in holder.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(OptionDefinition)))
            {
                fields[$"{holder.Name}.{field.Name}"] = (OptionDefinition)field.GetValue(null)!;
            }
        }
        fields.Values.ShouldBe(NovaOptions.All, ignoreOrder: true, "every catalogue option is a public static field of a class nested in NovaOptions");
        return fields.Where(f => Components.Implemented.Contains(f.Value.Consumer)).ToDictionary(StringComparer.Ordinal);
    }

    private static List<string> Unconsumed(IEnumerable<string> fields)
    {
        var configuration = Configuration();
        return OptionConsumers.Unconsumed(fields, OptionConsumers.Bindings(configuration), OptionConsumers.Derivations(configuration), ReadByProduct());
    }

    private static Compilation? configurationCompilation;
    private static HashSet<string>? readByProduct;

    /// <summary>src/Vireo.Configuration compiled from source: the binder is internal.</summary>
    private static Compilation Configuration() => configurationCompilation ??= Compile("Vireo.Configuration", [],
        [.. ProjectFiles("Vireo.Configuration").Select(f => (f, File.ReadAllText(f)))]);

    /// <summary>The option-record members read by every other project of src/, the host check excepted.</summary>
    private static HashSet<string> ReadByProduct()
    {
        if (readByProduct is not null)
        {
            return readByProduct;
        }
        var hostCheck = Path.Combine(SourceRoot(), "Vireo.HostCheck") + Path.DirectorySeparatorChar;
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in Directory.EnumerateDirectories(SourceRoot()).Select(Path.GetFileName).OfType<string>()
            .Where(p => p != "Vireo.Configuration").Order(StringComparer.Ordinal))
        {
            var own = AssemblyName(project);
            var references = BuiltAssemblies().Where(a => !string.Equals(Path.GetFileNameWithoutExtension(a), own, StringComparison.Ordinal))
                .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a)).ToList();
            var compilation = Compile(project, references, [.. ProjectFiles(project).Select(f => (f, File.ReadAllText(f)))]);
            read.UnionWith(OptionConsumers.ReadMembers(compilation, path => !path.StartsWith(hostCheck, StringComparison.Ordinal)));
        }
        return readByProduct = read;
    }

    private static Compilation Compile(string name, IEnumerable<MetadataReference> references, string source) =>
        Compile(name, references, ("Synthetic.cs", source));

    private static Compilation Compile(string name, IEnumerable<MetadataReference> references, params (string Path, string Text)[] files) =>
        CSharpCompilation.Create(name,
            [OptionConsumers.ImplicitUsings, .. files.Select(f => CSharpSyntaxTree.ParseText(f.Text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview), f.Path))],
            [.. PlatformAssemblies(), .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    private static IEnumerable<MetadataReference> PlatformAssemblies() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Length > 0 && !Path.GetFileName(p).StartsWith("Vireo", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(p).Equals("vireo.dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetDirectoryName(p)!.Equals(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p));

    /// <summary>The assemblies next to the tests: the built projects of src/ and their packages.</summary>
    private static IEnumerable<string> BuiltAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Where(a => !Path.GetFileName(a).StartsWith("Vireo.Architecture.Tests", StringComparison.Ordinal));

    private static string AssemblyName(string project)
    {
        var csproj = XDocument.Load(Path.Combine(SourceRoot(), project, project + ".csproj"));
        return csproj.Descendants("AssemblyName").FirstOrDefault()?.Value ?? project;
    }

    private static IEnumerable<string> ProjectFiles(string project) =>
        Directory.EnumerateFiles(Path.Combine(SourceRoot(), project), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string SourceRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "src"));
}

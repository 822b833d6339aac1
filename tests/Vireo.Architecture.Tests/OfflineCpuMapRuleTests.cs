using System.Reflection;
using NetArchTest.Rules;

namespace Vireo.Architecture.Tests;

/// <summary>
/// The service takes CPU facts from the libvirt daemon it is connected to, never from the CPU map
/// installed on its own machine (a remote or upgraded libvirtd has its own): the driver and the
/// composition of <c>vireo serve</c> must not depend on the offline CPU-map reader, which only the
/// offline <c>vireo cpu</c> tools use. The types are named, not their namespace, so the rule holds
/// wherever the offline toolkit lives.
/// </summary>
public sealed class OfflineCpuMapRuleTests
{
    /// <summary>The offline CPU-map reader: reading libvirt's cpu_map files and what it returns.</summary>
    public static readonly string[] OfflineMapTypes = ["CpuMapReader", "CpuMapSource", "CpuMapSet"];

    /// <summary>Namespaces the offline toolkit has lived in; the types found in any Vireo assembly are added to them.</summary>
    private static readonly string[] ToolkitNamespaces = ["Vireo.Virt.CpuModels", "Vireo.CpuModels"];

    [Fact]
    public void The_driver_does_not_depend_on_the_offline_cpu_map_reader()
    {
        var result = Types.InAssembly(Assembly.Load("Vireo.Virt"))
            .ShouldNot().HaveDependencyOnAny(ForbiddenTypeNames()).GetResult();

        (result.FailingTypeNames ?? []).ShouldBeEmpty("the driver reads CPU facts from the connected daemon (DaemonCpuFacts), not from a CPU map on this machine");
    }

    [Fact]
    public void The_composition_of_vireo_serve_does_not_depend_on_the_offline_cpu_map_reader()
    {
        var result = Types.InAssembly(Assembly.Load("vireo")).That().ResideInNamespace("Vireo.Cli.Serve")
            .ShouldNot().HaveDependencyOnAny(ForbiddenTypeNames()).GetResult();

        (result.FailingTypeNames ?? []).ShouldBeEmpty("vireo serve gives the driver no CPU map; the offline vireo cpu tools alone read it");
    }

    [Fact]
    public void The_rule_finds_a_use_of_the_reader_where_there_is_one()
    {
        // The offline tools read the installed map: the same check over them must fail, or the names match nothing.
        var result = Types.InAssembly(Assembly.Load("vireo")).That().HaveName("CpuCommands")
            .ShouldNot().HaveDependencyOnAny(ForbiddenTypeNames()).GetResult();

        result.IsSuccessful.ShouldBeFalse();
        result.FailingTypeNames.ShouldContain(n => n.EndsWith(".CpuCommands", StringComparison.Ordinal));
    }

    [Fact]
    public void The_forbidden_names_include_where_the_reader_is_now()
    {
        var found = VireoTypes().Where(t => OfflineMapTypes.Contains(t.Name, StringComparer.Ordinal)).Select(t => t.FullName!).ToList();

        found.ShouldContain(n => n.EndsWith(".CpuMapReader", StringComparison.Ordinal));
        found.ShouldContain(n => n.EndsWith(".CpuMapSet", StringComparison.Ordinal));
        found.Except(ForbiddenTypeNames()).ShouldBeEmpty();
    }

    private static string[] ForbiddenTypeNames() =>
    [
        .. OfflineMapTypes.SelectMany(name => ToolkitNamespaces.Select(ns => $"{ns}.{name}"))
            .Concat(VireoTypes().Where(t => OfflineMapTypes.Contains(t.Name, StringComparer.Ordinal)).Select(t => t.FullName!))
            .Distinct(StringComparer.Ordinal),
    ];

    /// <summary>Every type of the product: the executable and the Vireo assemblies it references, directly or not.</summary>
    private static IEnumerable<Type> VireoTypes()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([Assembly.Load("vireo")]);
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.Add(assembly.GetName().Name!))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Vireo.", StringComparison.Ordinal)))
            {
                pending.Enqueue(Assembly.Load(reference));
            }

            foreach (var type in assembly.GetTypes())
            {
                yield return type;
            }
        }
    }
}

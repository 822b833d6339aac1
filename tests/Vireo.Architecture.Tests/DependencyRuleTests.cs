using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Vireo.Architecture.Tests;

/// <summary>Keeps the dependency rule of docs/architecture.md true: nothing points upward, pure projects stay pure.</summary>
public sealed class DependencyRuleTests
{
    // Which Vireo projects each project of src/ may reference (docs/architecture.md, "Dependency rule").
    // Every project is listed, the CLI (the composition root) too, and none is exempt.
    private static readonly Dictionary<string, string[]> Rule = new(StringComparer.Ordinal)
    {
        ["Vireo.Core"] = [],
        ["Vireo.ImageFormats"] = ["Vireo.Core"],
        ["Vireo.Libvirt"] = [],
        ["Vireo.Configuration"] = ["Vireo.Core"],
        ["Vireo.DomainXml"] = ["Vireo.Core"],
        ["Vireo.CpuModels"] = ["Vireo.Core", "Vireo.DomainXml", "Vireo.Libvirt"],
        ["Vireo.Virt"] = ["Vireo.Core", "Vireo.DomainXml", "Vireo.Libvirt"],
        ["Vireo.Storage"] = ["Vireo.Core", "Vireo.ImageFormats", "Vireo.Configuration"],
        ["Vireo.HostCheck"] = ["Vireo.Core", "Vireo.DomainXml", "Vireo.Libvirt", "Vireo.Configuration", "Vireo.CpuModels", "Vireo.Storage"],
        ["Vireo.State"] = ["Vireo.Core", "Vireo.Configuration"],
        ["Vireo.Identity"] = [],
        ["Vireo.Api"] = ["Vireo.Core", "Vireo.Identity"],
        ["Vireo.Cli"] =
        [
            "Vireo.Api", "Vireo.Configuration", "Vireo.Core", "Vireo.CpuModels", "Vireo.DomainXml", "Vireo.HostCheck",
            "Vireo.Identity", "Vireo.ImageFormats", "Vireo.Libvirt", "Vireo.State", "Vireo.Storage", "Vireo.Virt",
        ],
    };

    public static TheoryData<string> Projects => [.. Rule.Keys];

    [Fact]
    public void Every_project_of_src_is_in_the_rule_and_the_rule_names_no_other()
    {
        var projects = Directory.EnumerateFiles(SourceRoot(), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();

        projects.Count.ShouldBeGreaterThan(10);
        projects.Except(Rule.Keys).ShouldBeEmpty("add these projects to DependencyRuleTests.Rule and to the dependency rule of docs/architecture.md");
        Rule.Keys.Except(projects).ShouldBeEmpty("these projects are in DependencyRuleTests.Rule but not in src/");
        Rule.Values.SelectMany(v => v).Except(projects).ShouldBeEmpty("the rule allows references to projects that do not exist");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_file_references_only_what_the_dependency_rule_allows(string project)
    {
        ProjectReferences(project).Except(Rule[project]).ShouldBeEmpty($"{project}.csproj references more than the dependency rule allows");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_references_only_what_the_dependency_rule_allows(string project)
    {
        var assemblies = Rule.Keys.ToDictionary(AssemblyName, p => p, StringComparer.Ordinal);
        var references = Assembly.Load(AssemblyName(project)).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(assemblies.ContainsKey)
            .Select(a => assemblies[a]);
        references.Except(Rule[project]).ShouldBeEmpty($"{project} references more than the dependency rule allows");
    }

    [Fact]
    public void A_project_missing_from_the_rule_is_found()
    {
        // Guards the check above from passing on a wrong folder.
        Directory.Exists(Path.Combine(SourceRoot(), "Vireo.Cli")).ShouldBeTrue();
        ProjectReferences("Vireo.Cli").ShouldContain("Vireo.Virt");
    }

    [Fact]
    public void Core_uses_no_libvirt_xml_web_or_file_apis()
    {
        var result = Types.InAssembly(Assembly.Load("Vireo.Core")).ShouldNot().HaveDependencyOnAny(
            "Vireo.Libvirt", "Vireo.DomainXml", "Microsoft.AspNetCore", "System.Xml",
            "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo", "System.IO.DirectoryInfo")
            .GetResult();
        (result.FailingTypeNames ?? []).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Vireo.Configuration")]
    [InlineData("Vireo.DomainXml")]
    [InlineData("Vireo.Core")]
    [InlineData("Vireo.ImageFormats")]
    public void Pure_projects_do_no_file_or_process_io(string assembly)
    {
        // Value types such as System.Net.IPAddress are pure; sockets and HTTP are IO.
        var result = Types.InAssembly(Assembly.Load(assembly)).ShouldNot().HaveDependencyOnAny(
            "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.Diagnostics.Process", "System.Net.Http", "System.Net.Sockets")
            .GetResult();
        (result.FailingTypeNames ?? []).ShouldBeEmpty();
    }

    [Fact]
    public void Interop_pointers_stay_inside_the_binding_interop_layer()
    {
        var publicTypes = Assembly.Load("Vireo.Libvirt").GetExportedTypes();
        var leaks = publicTypes
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Select(m => (t, m)))
            .Where(x => x.m switch
            {
                MethodInfo mi => mi.ReturnType == typeof(IntPtr) || mi.GetParameters().Any(p => p.ParameterType == typeof(IntPtr)),
                PropertyInfo pi => pi.PropertyType == typeof(IntPtr),
                FieldInfo fi => fi.FieldType == typeof(IntPtr),
                _ => false,
            })
            .Select(x => $"{x.t.Name}.{x.m.Name}");
        leaks.ShouldBeEmpty();
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(Path.Combine(SourceRoot(), project, project + ".csproj")).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Order(StringComparer.Ordinal);

    private static string AssemblyName(string project) =>
        XDocument.Load(Path.Combine(SourceRoot(), project, project + ".csproj")).Descendants("AssemblyName").FirstOrDefault()?.Value ?? project;

    private static string SourceRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "src"));
}

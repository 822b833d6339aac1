using System.Reflection;
using NetArchTest.Rules;

namespace Vireo.Architecture.Tests;

/// <summary>Keeps the dependency rule of docs/architecture.md true: nothing points upward, pure projects stay pure.</summary>
public sealed class DependencyRuleTests
{
    // Which Vireo assemblies each project may reference (docs/architecture.md, "Dependency rule").
    // The CLI is the composition root and may reference everything.
    public static readonly TheoryData<string, string[]> Allowed = new()
    {
        { "Vireo.Configuration", [] },
        { "Vireo.Core", [] },
        { "Vireo.DomainXml", ["Vireo.Core"] },
        { "Vireo.Libvirt", [] },
        { "Vireo.ImageFormats", ["Vireo.Core"] },
        { "Vireo.State", ["Vireo.Core", "Vireo.Configuration"] },
        { "Vireo.Api", ["Vireo.Core"] },
        { "Vireo.Virt", ["Vireo.Core", "Vireo.DomainXml", "Vireo.Libvirt", "Vireo.Configuration"] },
        { "Vireo.Storage", ["Vireo.Core", "Vireo.ImageFormats", "Vireo.Configuration"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Project_references_only_what_the_dependency_rule_allows(string assembly, string[] allowed)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Vireo.", StringComparison.Ordinal) || n == "vireo");
        references.Except(allowed).ShouldBeEmpty($"{assembly} references more than the dependency rule allows");
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
}

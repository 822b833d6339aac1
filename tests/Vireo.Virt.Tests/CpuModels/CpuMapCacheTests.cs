using Vireo.Virt.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>The offline tools' CPU maps: a directory given by the caller, read once per directory, never shared across directories.</summary>
public sealed class CpuMapCacheTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("vireo-cpumap-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void The_fixture_is_libvirt_9_0s_whole_map_and_says_where_it_came_from()
    {
        var maps = FixtureCpuMap.Maps;

        maps.Maps.Keys.Order(StringComparer.Ordinal).ShouldBe(["arm", "ppc64", "x86"]);
        maps.X86.FindModel("Nehalem").ShouldNotBeNull();
        maps.X86.FindModel("Icelake-Server").ShouldNotBeNull();
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.TestProject, "Fixtures", "cpu_map", "README.md"));
        readme.ShouldContain("libvirt 9.0");
        readme.ShouldContain("/usr/share/libvirt/cpu_map");
    }

    [Fact]
    public void The_plain_model_names_the_driver_tests_use_are_the_fixture_maps_x86_models_in_order()
    {
        CpuFactValues.Libvirt90X86Models.ShouldBe(FixtureCpuMap.X86.Models.Select(m => m.Name));
    }

    [Fact]
    public void Two_directories_get_their_own_maps_and_one_directory_is_read_once()
    {
        var first = WriteMap("first", "Alpha");
        var second = WriteMap("second", "Beta");

        var a = CpuMapReader.LoadCached(first).ShouldNotBeNull();
        var b = CpuMapReader.LoadCached(second).ShouldNotBeNull();

        a.X86.FindModel("Alpha").ShouldNotBeNull();
        a.X86.FindModel("Beta").ShouldBeNull();
        b.X86.FindModel("Beta").ShouldNotBeNull();
        b.X86.FindModel("Alpha").ShouldBeNull();
        CpuMapReader.LoadCached(first + Path.DirectorySeparatorChar + ".").ShouldBeSameAs(a);
        FixtureCpuMap.Maps.X86.FindModel("Alpha").ShouldBeNull();
    }

    [Fact]
    public void A_directory_without_an_index_has_no_map()
    {
        CpuMapReader.LoadCached(Path.Combine(root, "absent")).ShouldBeNull();
    }

    private string WriteMap(string name, string model)
    {
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "index.xml"), "<cpus><arch name='x86'><include filename='x86_features.xml'/><include filename='x86_models.xml'/></arch></cpus>");
        File.WriteAllText(Path.Combine(directory, "x86_features.xml"), "<cpus><feature name='sse2'><cpuid eax_in='0x01' edx='0x04000000'/></feature></cpus>");
        File.WriteAllText(Path.Combine(directory, "x86_models.xml"), $"<cpus><model name='{model}'><feature name='sse2'/></model></cpus>");
        return directory;
    }
}

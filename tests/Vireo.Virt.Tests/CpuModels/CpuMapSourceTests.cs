using Vireo.Core;
using Vireo.Virt.CpuModels;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>Where CPU maps come from: a directory given by the caller, read once per directory, never shared across directories.</summary>
public sealed class CpuMapSourceTests : IDisposable
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
    public void Two_directories_get_their_own_maps_and_one_directory_is_read_once()
    {
        var first = WriteMap("first", "Alpha");
        var second = WriteMap("second", "Beta");

        var a = new CpuMapSource(first).Load().ShouldNotBeNull();
        var b = new CpuMapSource(second).Load().ShouldNotBeNull();

        a.X86.FindModel("Alpha").ShouldNotBeNull();
        a.X86.FindModel("Beta").ShouldBeNull();
        b.X86.FindModel("Beta").ShouldNotBeNull();
        b.X86.FindModel("Alpha").ShouldBeNull();
        new CpuMapSource(first + Path.DirectorySeparatorChar + ".").Load().ShouldBeSameAs(a);
        CpuMapReader.LoadCached(first).ShouldBeSameAs(a);
        FixtureCpuMap.Maps.X86.FindModel("Alpha").ShouldBeNull();
    }

    [Fact]
    public void A_directory_without_an_index_has_no_map()
    {
        new CpuMapSource(Path.Combine(root, "absent")).Load().ShouldBeNull();
    }

    [Fact]
    public void The_guest_builder_spells_models_as_the_map_it_is_given()
    {
        var settings = Specs.Qemu with { CpuMode = CpuMode.Custom, CpuModels = ["alpha"] };
        var own = new CpuMapSource(WriteMap("own", "Alpha")).Load();

        GuestConfigBuilder.Build(Specs.Spec(), settings, Specs.CreatedAt, own).Cpu!.Model.ShouldBe("Alpha");
        GuestCpuPolicy.Build(settings, 1, own).Model.ShouldBe("Alpha");
        Should.Throw<VireoException>(() => GuestConfigBuilder.Build(Specs.Spec(), settings, Specs.CreatedAt, FixtureCpuMap.Maps))
            .Message.ShouldContain("alpha");
    }

    [Fact]
    public async Task A_driver_reads_the_installed_map_unless_given_another()
    {
        var source = new CpuMapSource(WriteMap("driver", "Alpha"));

        await using var byDefault = new LibvirtHypervisor(Specs.Qemu);
        await using var given = new LibvirtHypervisor(Specs.Qemu) { CpuMaps = source };

        // Compares the default with the product's; nothing here reads the installed map.
        byDefault.CpuMaps.ShouldBeSameAs(CpuMapSource.Installed);
        given.CpuMaps.ShouldBeSameAs(source);
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

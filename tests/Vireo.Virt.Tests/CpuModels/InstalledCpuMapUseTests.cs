using Vireo.Testing;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>
/// CPU tests read libvirt 9.0's map kept in Fixtures/cpu_map, so a libvirt upgrade on the test machine cannot change
/// their answers. Only the tests that compare with the live libvirt (virsh) read the installed map, because they
/// compare with that libvirt; this keeps that list explicit, over every test project with CPU tests.
/// </summary>
public sealed class InstalledCpuMapUseTests
{
    /// <summary>What reads (or names) the map installed with libvirt.</summary>
    internal static readonly string[] InstalledMapMarkers =
    [
        "LoadInstalled",
        "InstalledDirectory",
        "CpuMapSource.Installed",
        "/usr/share/libvirt/cpu_map",
    ];

    /// <summary>Test files allowed to use the installed map, each with why.</summary>
    internal static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["Vireo.CpuModels.Tests/CpuComparisonVirshTests.cs"] = "compares with virsh hypervisor-cpu-compare on the installed libvirt",
        ["Vireo.CpuModels.Tests/CpuBaselineVirshTests.cs"] = "compares with virsh hypervisor-cpu-baseline on the installed libvirt",
        ["Vireo.Virt.Tests/CpuModels/CpuMapCacheTests.cs"] = "checks that the fixture's README names the installed map it was copied from, reading nothing installed",
        ["Vireo.HostCheck.Tests/HostFileReaderTests.cs"] = "names the installed map's paths inside a fake file tree, reading nothing",
        ["Vireo.Virt.Tests/CpuModels/InstalledCpuMapUseTests.cs"] = "this check",
    };

    [Fact]
    public void Only_the_virsh_comparisons_use_the_installed_cpu_map()
    {
        var offenders = Offenders(TestSources());

        offenders.ShouldBeEmpty(
            "these tests use libvirt's installed CPU map; read FixtureCpuMap (Fixtures/cpu_map) instead, or, for a test that compares with the live libvirt, add it to InstalledCpuMapUseTests.Allowed with the reason");
    }

    [Fact]
    public void The_virsh_comparisons_still_use_the_installed_map()
    {
        var sources = TestSources().ToDictionary(s => s.Path, s => s.Text, StringComparer.Ordinal);

        foreach (var file in new[] { "Vireo.CpuModels.Tests/CpuComparisonVirshTests.cs", "Vireo.CpuModels.Tests/CpuBaselineVirshTests.cs" })
        {
            sources.ShouldContainKey(file);
            sources[file].ShouldContain("CpuMapReader.LoadInstalled()");
        }
    }

    [Fact]
    public void A_test_reading_the_installed_map_is_found()
    {
        Offenders(
        [
            ("Vireo.CpuModels.Tests/NewTests.cs", "var map = CpuMapReader.LoadInstalled()!.X86;"),
            ("Vireo.HostCheck.Tests/PathTests.cs", "CpuMapReader.Load(\"/usr/share/libvirt/cpu_map\")"),
            ("Vireo.Virt.Tests/GuestCpuPolicyTests.cs", "GuestCpuPolicy.Build(settings, 1, FixtureCpuMap.Maps)"),
            ("Vireo.CpuModels.Tests/CpuComparisonVirshTests.cs", "CpuMapReader.LoadInstalled()"),
        ]).ShouldBe(["Vireo.CpuModels.Tests/NewTests.cs", "Vireo.HostCheck.Tests/PathTests.cs"]);
    }

    internal static List<string> Offenders(IEnumerable<(string Path, string Text)> sources) =>
    [
        .. sources
            .Where(s => !Allowed.ContainsKey(s.Path) && InstalledMapMarkers.Any(m => s.Text.Contains(m, StringComparison.Ordinal)))
            .Select(s => s.Path)
            .Order(StringComparer.Ordinal),
    ];

    private static List<(string Path, string Text)> TestSources()
    {
        var tests = Path.Combine(RepositoryPaths.RepositoryRoot, "tests");
        var separator = Path.DirectorySeparatorChar;
        return
        [
            .. new[] { "Vireo.Virt.Tests", "Vireo.CpuModels.Tests", "Vireo.HostCheck.Tests" }
                .SelectMany(project => Directory.EnumerateFiles(Path.Combine(tests, project), "*.cs", SearchOption.AllDirectories))
                .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
                .Select(f => (Path.GetRelativePath(tests, f).Replace(separator, '/'), File.ReadAllText(f))),
        ];
    }
}

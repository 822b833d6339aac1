using System.Text;
using Vireo.CpuModels;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

/// <summary>
/// A fleet of 1,000 host descriptions is read and baselined correctly with the map read cold. How
/// fast is measured by bench/Vireo.Benchmarks (CpuBaselineBenchmarks), never here: a timed unit
/// test on a loaded 2-core machine only flakes.
/// </summary>
public sealed class CpuBaselineScaleTests
{
    [Fact]
    public void A_thousand_hosts_are_read_and_baselined_with_the_map_read_cold()
    {
        var random = new Random(1000);
        var models = new[] { "Nehalem", "Westmere", "SandyBridge", "IvyBridge", "Haswell-noTSX", "Skylake-Client-IBRS", "Cascadelake-Server", "Icelake-Server" };
        var features = FixtureCpuMap.X86.Features.Select(f => f.Name).ToArray();
        var xml = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            xml.Append(FixtureCpuMap.Host(models[random.Next(models.Length)], "Intel", [.. features.OrderBy(_ => random.Next()).Take(random.Next(0, 40))]));
        }

        var text = xml.ToString();
        CpuBaseline.Compute(FixtureCpuMap.X86, CpuDescriptionReader.Read(text, "warm-up.xml"));

        var map = CpuMapReader.Load(FixtureCpuMap.Directory).X86;
        var result = CpuBaseline.Compute(map, CpuDescriptionReader.Read(text, "fleet.xml"));

        result.Hosts.Count.ShouldBe(1000);
        result.Model.ShouldBe("Nehalem");
    }
}

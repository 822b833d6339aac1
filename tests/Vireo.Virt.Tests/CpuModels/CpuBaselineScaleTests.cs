using System.Diagnostics;
using System.Text;
using Vireo.Virt.CpuModels;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>
/// The bound for <c>vireo cpu baseline</c>: 1,000 host descriptions in under a second. The
/// figure itself comes from bench/Vireo.Benchmarks (CpuBaselineBenchmarks: about 30 ms); this
/// guard only catches a change that makes it an order of magnitude slower.
/// </summary>
public sealed class CpuBaselineScaleTests
{
    [Fact]
    public void A_thousand_hosts_are_read_and_baselined_in_under_a_second_with_the_map_read_cold()
    {
        var random = new Random(1000);
        var models = new[] { "Nehalem", "Westmere", "SandyBridge", "IvyBridge", "Haswell-noTSX", "Skylake-Client-IBRS", "Cascadelake-Server", "Icelake-Server" };
        var features = InstalledCpuMap.X86.Features.Select(f => f.Name).ToArray();
        var xml = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            xml.Append(InstalledCpuMap.Host(models[random.Next(models.Length)], "Intel", [.. features.OrderBy(_ => random.Next()).Take(random.Next(0, 40))]));
        }

        var text = xml.ToString();
        CpuBaseline.Compute(InstalledCpuMap.X86, CpuDescriptionReader.Read(text, "warm-up.xml"));

        var clock = Stopwatch.StartNew();
        var map = CpuMapReader.Load(CpuMapReader.InstalledDirectory).X86;
        var result = CpuBaseline.Compute(map, CpuDescriptionReader.Read(text, "fleet.xml"));
        clock.Stop();

        result.Hosts.Count.ShouldBe(1000);
        result.Model.ShouldBe("Nehalem");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }
}

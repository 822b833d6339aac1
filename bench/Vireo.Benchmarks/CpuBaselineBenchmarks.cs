using System.Text;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using Vireo.CpuModels;

namespace Vireo.Benchmarks;

/// <summary>
/// Reading and baselining 1,000 host CPU descriptions (the goal: under a second), against the floor
/// of libvirt's own answer, <c>virsh cpu-baseline FILE</c> run once as a process on the same file.
/// The fleet is the one tests/Vireo.CpuModels.Tests CpuBaselineScaleTests baselines: seed 1000, eight
/// Intel models of the installed CPU map, each host with 0-39 extra map features, so it is the
/// same input on every machine with the same libvirt0.
/// </summary>
/// <remarks>
/// virsh runs against <c>test:///default</c>: libvirtd's RPC refuses more than 256 CPUs per call
/// ("xmlCPUs length greater than maximum: 1000 &gt; 256", REMOTE_CPU_BASELINE_MAX), so
/// <c>qemu:///system</c> cannot take this fleet at all, while the in-process test driver runs the
/// same virCPUBaselineXML of libvirt0 on all 1,000. Setup checks that both drivers agree on the
/// first 256 hosts and that Vireo agrees with virsh on all 1,000.
/// </remarks>
[ShortRunJob]
[MemoryDiagnoser]
public class CpuBaselineBenchmarks
{
    public const int HostCount = 1000;

    private static readonly string[] Models =
        ["Nehalem", "Westmere", "SandyBridge", "IvyBridge", "Haswell-noTSX", "Skylake-Client-IBRS", "Cascadelake-Server", "Icelake-Server"];

    private string folder = string.Empty;
    private string path = string.Empty;
    private string text = string.Empty;
    private CpuMap map = null!;

    [GlobalSetup]
    public void Setup()
    {
        map = (CpuMapReader.LoadInstalled()
            ?? throw new InvalidOperationException($"libvirt's CPU map is not installed at {CpuMapReader.InstalledDirectory}; run scripts/setup-host")).X86;
        text = Fleet(map);
        folder = Directory.CreateTempSubdirectory("vireo-bench-cpu-").FullName;
        path = Path.Combine(folder, "hosts.xml");
        File.WriteAllText(path, text);

        // Both sides must give the same model, or the comparison would be of different work.
        var ours = ReadAndBaseline().Model;
        var virsh = VirshModel(TestDriver, path);
        if (!string.Equals(ours, virsh, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"CpuBaseline gives {ours} but virsh cpu-baseline gives {virsh} for {path}; the benchmark would compare different answers");
        }

        var first = Path.Combine(folder, "first-256.xml");
        File.WriteAllLines(first, text.Split('\n').Take(256));
        var (test, qemu) = (VirshModel(TestDriver, first), VirshModel("qemu:///system", first));
        if (!string.Equals(test, qemu, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"virsh cpu-baseline gives {test} with {TestDriver} but {qemu} with qemu:///system for {first}; the floor would not be libvirtd's answer");
        }
    }

    private const string TestDriver = "test:///default";

    private static string? VirshModel(string uri, string file) =>
        XElement.Parse(BenchmarkImages.Output("virsh", ["-c", uri, "cpu-baseline", file])).Element("model")?.Value;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Baseline = true, Description = "virsh cpu-baseline (process, 1,000 hosts)")]
    public string VirshCpuBaseline() => BenchmarkImages.Output("virsh", ["-c", TestDriver, "cpu-baseline", path]);

    [Benchmark(Description = "read + CpuBaseline.Compute (1,000 hosts)")]
    public CpuBaselineResult ReadAndBaseline() => CpuBaseline.Compute(map, CpuDescriptionReader.Read(text, "hosts.xml"));

    [Benchmark(Description = "read CPU map + read + baseline (1,000 hosts, cold map)")]
    public CpuBaselineResult ColdMapReadAndBaseline() =>
        CpuBaseline.Compute(CpuMapReader.Load(CpuMapReader.InstalledDirectory).X86, CpuDescriptionReader.Read(text, "hosts.xml"));

    /// <summary>The 1,000 <c>&lt;cpu&gt;</c> elements, as <c>virsh capabilities</c> describes a host CPU.</summary>
    public static string Fleet(CpuMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var random = new Random(1000);
        var features = map.Features.Select(f => f.Name).ToArray();
        var xml = new StringBuilder();
        for (var i = 0; i < HostCount; i++)
        {
            var model = Models[random.Next(Models.Length)];
            xml.Append("<cpu><arch>x86_64</arch><model>").Append(model).Append("</model><vendor>Intel</vendor>");
            foreach (var feature in features.OrderBy(_ => random.Next()).Take(random.Next(0, 40)))
            {
                xml.Append("<feature name='").Append(feature).Append("'/>");
            }

            xml.Append("</cpu>\n");
        }

        return xml.ToString();
    }
}

using System.Text;
using Vireo.Core;
using Vireo.CpuModels;
using Vireo.DomainXml;

namespace Vireo.CpuModels.Tests;

/// <summary>
/// The offline baseline gives what <c>virsh cpu-baseline</c> gives on this host's libvirt for
/// the same host descriptions: every subset of the issue's named hosts, and held-back sets
/// drawn at random (fixed seed) from the whole map.
/// </summary>
public sealed class CpuBaselineVirshTests
{
    private static readonly CpuMap Map = CpuMapReader.LoadInstalled()!.X86;

    private static string Host(string model, string? vendor, params string[] features)
    {
        var text = new StringBuilder($"<cpu><arch>x86_64</arch><model>{model}</model>");
        if (vendor is not null)
        {
            text.Append($"<vendor>{vendor}</vendor>");
        }

        foreach (var feature in features)
        {
            text.Append($"<feature name='{feature}'/>");
        }

        return text.Append("</cpu>\n").ToString();
    }

    private static string ThisHost()
    {
        var capabilities = System.Xml.Linq.XElement.Parse(Virsh.HostCapabilities());
        return capabilities.Element("host")!.Element("cpu")!.ToString() + "\n";
    }

    public static IEnumerable<(string Name, string Xml)> NamedHosts(bool withVendor) =>
    [
        ("Nehalem", Host("Nehalem", withVendor ? "Intel" : null)),
        ("Westmere", Host("Westmere", withVendor ? "Intel" : null)),
        ("IvyBridge+pcid", Host("IvyBridge", withVendor ? "Intel" : null, "pcid")),
        ("Skylake-Client-IBRS", Host("Skylake-Client-IBRS", withVendor ? "Intel" : null)),
        ("Cascadelake-Server", Host("Cascadelake-Server", withVendor ? "Intel" : null)),
        ("Icelake-Server", Host("Icelake-Server", withVendor ? "Intel" : null)),
        ("this host", ThisHost()),
    ];

    [Fact]
    public void Every_subset_of_the_named_hosts_gives_virshs_model_and_features()
    {
        var sets = Subsets(NamedHosts(withVendor: true).ToList()).ToList();

        Differences(sets.Select(set => ($"{string.Join(" + ", set.Select(h => h.Name))}", string.Concat(set.Select(h => h.Xml)), false)))
            .ShouldBeEmpty();
    }

    [Fact]
    public void Without_vendor_elements_the_named_hosts_agree_with_virsh_and_mixed_vendors_are_refused()
    {
        // virsh takes the vendor of the first host only from its <vendor>, so Intel models written
        // without one followed by this AMD host get a baseline; Vireo refuses every mixed fleet.
        var sameVendor = new List<(string, string, bool)>();
        var intel = ThisHostIsIntel;
        foreach (var set in Subsets(NamedHosts(withVendor: false).ToList()))
        {
            var xml = string.Concat(set.Select(h => h.Xml));
            var mixed = set.Any(h => h.Name == "this host") && set.Any(h => h.Name != "this host") && !intel;
            if (mixed)
            {
                Should.Throw<VireoException>(() => CpuBaseline.Compute(Map, CpuDescriptionReader.Read(xml, "hosts.xml")))
                    .Message.ShouldContain("cannot live-migrate between vendors");
            }
            else
            {
                sameVendor.Add((string.Join(" + ", set.Select(h => h.Name)), xml, false));
            }
        }

        Differences(sameVendor).ShouldBeEmpty();
    }

    private static bool ThisHostIsIntel => ThisHost().Contains("<vendor>Intel</vendor>", StringComparison.Ordinal);

    private static IEnumerable<List<(string Name, string Xml)>> Subsets(List<(string Name, string Xml)> hosts)
    {
        for (var mask = 1; mask < 1 << hosts.Count; mask++)
        {
            yield return hosts.Where((_, i) => (mask & (1 << i)) != 0).ToList();
        }
    }

    [Fact]
    public void Held_back_random_fleets_give_virshs_model_and_features()
    {
        // Fleets nobody tuned the code on: 1-5 hosts of one vendor (or vendor-less QEMU models),
        // each a random model plus a few or many random extra features, some written without
        // <vendor>, and in a third of them this machine's own description among the hosts.
        var random = new Random(20261127);
        var features = Map.Features.Select(f => f.Name).ToList();
        var thisHost = ThisHost();
        var thisVendor = Map.Vendors.First(v => thisHost.Contains($"<vendor>{v.Name}</vendor>", StringComparison.Ordinal)).Name;
        var fleets = new List<(string, string, bool)>();
        for (var round = 0; round < 300; round++)
        {
            var withThisHost = random.Next(3) == 0;
            var vendor = withThisHost ? thisVendor : random.Next(3) switch { 0 => "Intel", 1 => "AMD", _ => null };
            var models = Map.Models.Where(m => m.Vendor == vendor || (m.Vendor is null && random.Next(4) == 0)).ToList();
            var hosts = new List<string>();
            for (var host = random.Next(1, 6); host > 0; host--)
            {
                var model = models[random.Next(models.Count)];
                var count = random.Next(3) == 0 ? random.Next(20, 60) : random.Next(0, 9);
                var extra = features.OrderBy(_ => random.Next()).Take(count).ToArray();
                hosts.Add(Host(model.Name, vendor is not null && random.Next(2) == 0 ? vendor : null, extra));
            }

            if (withThisHost)
            {
                hosts.Insert(random.Next(hosts.Count + 1), thisHost);
            }

            var migratable = random.Next(4) == 0;
            var xml = string.Concat(hosts);
            fleets.Add(($"round {round}{(migratable ? " (--migratable)" : "")}: {xml}", xml, migratable));
        }

        Differences(fleets).ShouldBeEmpty();
    }

    /// <summary>Runs virsh for every case, four at a time (each is a process and a libvirtd call).</summary>
    private static List<string> Differences(IEnumerable<(string Name, string Xml, bool Migratable)> cases)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, c =>
        {
            if (Difference(c.Xml, c.Migratable) is { } problem)
            {
                found.Add($"{c.Name}: {problem}");
            }
        });

        return [.. found.Order(StringComparer.Ordinal)];
    }

    internal static string? Difference(string xml, bool migratable = false)
    {
        var (output, error) = migratable ? Virsh.RunOnFile(xml, "cpu-baseline", "--migratable") : Virsh.RunOnFile(xml, "cpu-baseline");
        CpuBaselineResult? ours = null;
        string? ourError = null;
        try
        {
            ours = CpuBaseline.Compute(Map, CpuDescriptionReader.Read(xml, "hosts.xml"), new CpuBaselineOptions { Migratable = migratable });
        }
        catch (VireoException e)
        {
            ourError = e.Message;
        }

        if (output is null)
        {
            return ours is null ? null : $"virsh refuses ({error}) but Vireo gives {CpuXml.Format(ours.ToCpuConfig())}";
        }

        var theirs = CpuXml.Parse(output);
        if (ours is null)
        {
            return $"Vireo refuses ({ourError}) but virsh gives {output}";
        }

        var mine = ours.ToCpuConfig();
        return mine == theirs ? null : $"virsh gives {CpuXml.Format(theirs)} but Vireo gives {CpuXml.Format(mine)}";
    }
}

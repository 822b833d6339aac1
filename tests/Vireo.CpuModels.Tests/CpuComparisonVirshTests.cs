using System.Text;
using Vireo.CpuModels;

namespace Vireo.CpuModels.Tests;

/// <summary>
/// The offline compare, given the host-model CPU of <c>virsh domcapabilities</c> as the host, gives
/// what <c>virsh hypervisor-cpu-compare</c> gives for the same guest CPU on this host: the verdict,
/// and for an incompatible guest the missing features libvirt names.
/// </summary>
public sealed class CpuComparisonVirshTests
{
    private static readonly CpuMap Map = CpuMapReader.LoadInstalled()!.X86;

    public static TheoryData<string> VirtTypes => ["qemu", "kvm"];

    [Theory]
    [MemberData(nameof(VirtTypes))]
    public void Every_model_of_the_map_and_the_named_guests_compare_as_virsh_compares_them(string virtType)
    {
        var guests = Map.Models.Select(m => Guest(m.Name, "exact")).ToList();
        guests.AddRange(
        [
            Guest("Nehalem", "exact", ("require", "pcid")),
            Guest("Westmere", "exact", ("require", "pcid")),
            Guest("IvyBridge", "exact", ("require", "pcid")),
            Guest("qemu64", "exact", ("disable", "svm")),
            Guest("qemu64", "strict"),
            Guest("kvm64", "exact", ("forbid", "sse2")),
        ]);

        Mismatches(virtType, guests).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(VirtTypes))]
    public void Held_back_random_guests_compare_as_virsh_compares_them(string virtType)
    {
        var random = new Random(virtType == "qemu" ? 4242 : 2424);
        var policies = new[] { "require", "require", "require", "disable", "optional", "force", "forbid" };
        var guests = new List<string>();
        for (var round = 0; round < 120; round++)
        {
            var model = Map.Models[random.Next(Map.Models.Count)].Name;
            var features = Enumerable.Range(0, random.Next(0, 6))
                .Select(_ => (policies[random.Next(policies.Length)], Map.Features[random.Next(Map.Features.Count)].Name))
                .DistinctBy(f => f.Name)
                .ToArray();
            guests.Add(Guest(model, random.Next(5) == 0 ? "strict" : "exact", features));
        }

        Mismatches(virtType, guests).ShouldBeEmpty();
    }

    private static string Guest(string model, string match, params (string Policy, string Name)[] features)
    {
        var text = new StringBuilder($"<cpu mode='custom' match='{match}'><model>{model}</model>");
        foreach (var (policy, name) in features)
        {
            text.Append($"<feature policy='{policy}' name='{name}'/>");
        }

        return text.Append("</cpu>").ToString();
    }

    private static List<string> Mismatches(string virtType, List<string> guests)
    {
        var capabilities = Virsh.Run("domcapabilities", "--virttype", virtType).Output
            ?? throw new InvalidOperationException($"virsh domcapabilities --virttype {virtType} failed; run scripts/setup-host");
        var host = CpuDescriptionReader.Read(capabilities, "domcapabilities.xml").Single();
        var mismatches = new List<string>();
        var lockObject = new object();
        Parallel.ForEach(guests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, xml =>
        {
            var ours = CpuComparison.Compare(Map, host, CpuDescriptionReader.Read(xml, "guest.xml").Single());
            var (theirs, reason) = VirshVerdict(virtType, xml);
            var problem = ours.Verdict != theirs
                ? $"virsh says {theirs} ({reason}) but Vireo says {ours.Verdict} ({ours.Reason})"
                : theirs == CpuComparisonVerdict.Incompatible && reason != ours.Reason
                    ? $"both say incompatible, but virsh's reason is '{reason}' and Vireo's '{ours.Reason}'"
                    : null;
            if (problem is not null)
            {
                lock (lockObject)
                {
                    mismatches.Add($"{xml}: {problem}");
                }
            }
        });

        return mismatches;
    }

    private static (CpuComparisonVerdict Verdict, string? Reason) VirshVerdict(string virtType, string guestXml)
    {
        var (output, error) = Virsh.RunOnFile(guestXml, "hypervisor-cpu-compare", "--virttype", virtType, "--error");
        if (output is not null)
        {
            return output.Contains("identical", StringComparison.Ordinal)
                ? (CpuComparisonVerdict.Identical, null)
                : output.Contains("superset", StringComparison.Ordinal)
                    ? (CpuComparisonVerdict.Superset, null)
                    : throw new InvalidOperationException($"unexpected virsh output: {output}");
        }

        // "error: the CPU is incompatible with host CPU: Host CPU does not provide required features: pcid"
        const string marker = "the CPU is incompatible with host CPU: ";
        var at = error.IndexOf(marker, StringComparison.Ordinal);
        return at >= 0
            ? (CpuComparisonVerdict.Incompatible, error[(at + marker.Length)..].Split('\n')[0].Trim())
            : throw new InvalidOperationException($"virsh failed without a verdict: {error}");
    }
}

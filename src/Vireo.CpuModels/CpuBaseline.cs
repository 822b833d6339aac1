using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.CpuModels;

public sealed record CpuBaselineOptions
{
    /// <summary>Leave out features that block live migration (<c>migratable='no'</c>: invtsc, xsaves), as <c>virsh cpu-baseline --migratable</c>.</summary>
    public bool Migratable { get; init; }
}

/// <summary>What one host gives up when its guests run with the baseline CPU.</summary>
/// <param name="LostFeatures">Features of the host's own description the baseline CPU lacks, sorted by name.</param>
/// <param name="Level">The host's own x86-64 level.</param>
public sealed record CpuBaselineHost(string Source, string? Model, string? Vendor, IReadOnlyList<string> LostFeatures, string? Level);

/// <summary>
/// The richest CPU every host can run, named the way libvirt names it.
/// </summary>
/// <param name="Model">The named model; with <see cref="Features"/> and <see cref="DisabledFeatures"/> it is exactly the features all hosts share.</param>
/// <param name="Vendor">Written only when every host description names its vendor, as libvirt does.</param>
/// <param name="ModelIsCommon">True when every host has this model and libvirt's answer is <c>fallback='forbid'</c>.</param>
/// <param name="Features">Features all hosts have beyond the model, sorted by name.</param>
/// <param name="DisabledFeatures">Features of the model some host lacks, sorted by name (libvirt picks a newer model with a few disabled features when that is the shorter description).</param>
/// <param name="Level">The x86-64 level (v1-v4) of the shared features; null below v1.</param>
/// <param name="NonMigratableFeatures">Those of <see cref="Features"/> that block live migration (invtsc, xsaves), which the nova.conf lines leave out.</param>
public sealed record CpuBaselineResult(
    string Model,
    string? Vendor,
    bool ModelIsCommon,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> DisabledFeatures,
    string? Level,
    IReadOnlyList<CpuBaselineHost> Hosts,
    IReadOnlyList<string>? NonMigratableFeatures = null)
{
    /// <summary>The guest <c>&lt;cpu&gt;</c> libvirt's baseline gives (without libvirt's map ordering of features).</summary>
    public CpuConfig ToCpuConfig() => new()
    {
        Mode = CpuMode.Custom,
        Match = CpuMatch.Exact,
        Model = Model,
        Fallback = ModelIsCommon ? CpuModelFallback.Forbid : CpuModelFallback.Allow,
        Vendor = Vendor,
        Features = [.. Features.Select(f => new CpuFeature(f, CpuFeaturePolicy.Require)),
            .. DisabledFeatures.Select(f => new CpuFeature(f, CpuFeaturePolicy.Disable))],
    };

    /// <summary>
    /// The nova.conf lines that give guests this CPU and keep them live-migratable: Nova writes
    /// <c>cpu_model_extra_flags</c> as <c>+flag</c>/<c>-flag</c> features on the named model; features
    /// that block migration are left out.
    /// </summary>
    public IReadOnlyList<string> NovaConfiguration()
    {
        var blocking = NonMigratableFeatures ?? [];
        var flags = Features.Where(f => !blocking.Contains(f, StringComparer.Ordinal)).Select(f => "+" + f)
            .Concat(DisabledFeatures.Select(f => "-" + f))
            .ToList();
        return
        [
            "[libvirt]",
            "cpu_mode = custom",
            $"cpu_models = {Model}",
            .. flags.Count == 0 ? Array.Empty<string>() : [$"cpu_model_extra_flags = {string.Join(", ", flags)}"],
        ];
    }
}

/// <summary>
/// The CPU that every host of a fleet can give a guest, so that guests can live-migrate between
/// any of them: the intersection of the hosts' features, named with libvirt's x86 baseline
/// algorithm (virCPUx86Baseline + x86Decode) over the CPU map alone, so that it needs no libvirtd
/// and gives what <c>virsh cpu-baseline</c> gives for the same descriptions. Two deliberate
/// differences, both for inputs libvirt answers misleadingly: disabled features of a description
/// (a domain capabilities host-model CPU has them) are taken away, where <c>virsh cpu-baseline</c>
/// ignores the policy of host CPUs; and hosts of different vendors are refused, also when the
/// vendor only follows from a model, where libvirt does not look at the first host's model.
/// </summary>
public static class CpuBaseline
{
    /// <summary>
    /// Features libvirt's QEMU driver never writes into a guest CPU (qemu_capabilities.c
    /// virQEMUCapsCPUFilterFeatures): OS-controlled bits and monitoring features QEMU dropped.
    /// </summary>
    public static IReadOnlySet<string> NeverInGuestCpus { get; } =
        new HashSet<string>(["cmt", "mbm_total", "mbm_local", "osxsave", "ospke"], StringComparer.Ordinal);

    public static CpuBaselineResult Compute(CpuMap map, IReadOnlyList<CpuDescription> hosts, CpuBaselineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(hosts);
        options ??= new CpuBaselineOptions();
        if (hosts.Count == 0)
        {
            throw VireoException.InvalidInput("no host CPU descriptions were given; give files with <cpu> elements or virsh capabilities output");
        }

        if (!map.HasFeatureBits)
        {
            throw VireoException.InvalidInput($"the offline baseline works on x86 CPUs only, but the {map.Arch} CPU map describes no feature bits; use 'virsh hypervisor-cpu-baseline' on a {map.Arch} host");
        }

        foreach (var host in hosts)
        {
            CheckArch(host);
        }

        var hostBits = new CpuBits[hosts.Count];
        var common = map.NoBits.ToArray();
        Array.Fill(common, ulong.MaxValue);
        var vendor = CommonVendor(map, hosts);
        var modelNames = new List<string>();
        var allVendorsNamed = true;
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            if (host.Model is null)
            {
                throw VireoException.InvalidInput($"{host.Source} names no CPU model; describe each host with its <cpu> from 'virsh capabilities', which has one");
            }

            allVendorsNamed &= host.Vendor is not null;
            if (!modelNames.Contains(host.Model, StringComparer.Ordinal))
            {
                modelNames.Add(host.Model);
            }

            hostBits[i] = CpuData.All(map, host);
            CpuBits.IntersectInto(common, hostBits[i]);
        }

        var shared = CpuBits.From(common);
        if (shared.IsEmpty)
        {
            throw VireoException.InvalidInput("these CPUs share no feature at all (libvirt: 'CPUs are incompatible'); check that every file describes an x86 host");
        }

        // Like virsh: the hosts' own models are preferred; when they all have the same one, it ends the search.
        var decoded = CpuModelDecoder.Decode(map, shared, vendor, modelNames);
        var required = Keep(map, decoded.Required, options);
        var disabled = Keep(map, decoded.Disabled, options);
        var guestBits = decoded.Model.Bits.Union(map.BitsOf(required)).Except(map.BitsOf(disabled));
        var ignored = map.BitsOf(NeverInGuestCpus);
        var reports = new CpuBaselineHost[hosts.Count];
        for (var i = 0; i < hosts.Count; i++)
        {
            var lost = map.FeatureNames(hostBits[i].Except(guestBits).Except(ignored));
            reports[i] = new CpuBaselineHost(hosts[i].Source, hosts[i].Model, hosts[i].Vendor ?? map.FindModel(hosts[i].Model!)?.Vendor, Sorted(lost), X86Level.Of(map, hostBits[i]));
        }

        return new CpuBaselineResult(
            decoded.Model.Name,
            allVendorsNamed ? vendor : null,
            modelNames.Count == 1 && decoded.Model.Name == modelNames[0],
            Sorted(required),
            Sorted(disabled),
            X86Level.Of(map, guestBits),
            reports,
            [.. Sorted(required).Where(f => map.FindFeature(f)?.Migratable == false)]);
    }

    private static List<string> Keep(CpuMap map, IReadOnlyList<string> features, CpuBaselineOptions options) =>
        [.. features.Where(f => !NeverInGuestCpus.Contains(f) && (!options.Migratable || map.FindFeature(f)?.Migratable != false))];

    private static List<string> Sorted(IEnumerable<string> names) => [.. names.Order(StringComparer.Ordinal)];

    private static void CheckArch(CpuDescription host)
    {
        if (host.Arch is not null and not ("x86_64" or "i686"))
        {
            throw VireoException.InvalidInput($"{host.Source} is a {host.Arch} CPU; the offline baseline works on x86_64 and i686 hosts, give only those");
        }
    }

    /// <summary>
    /// The vendor of every host: the one its description names, else its model's; a description
    /// whose named vendor contradicts its model, or hosts of two vendors, are refused.
    /// </summary>
    private static string? CommonVendor(CpuMap map, IReadOnlyList<CpuDescription> hosts)
    {
        string? vendor = null;
        CpuDescription? first = null;
        foreach (var host in hosts)
        {
            if (host.Vendor is { } named && map.FindVendor(named) is null)
            {
                throw VireoException.InvalidInput(
                    $"{host.Source} names CPU vendor '{named}', which libvirt's CPU map does not know; use one of {string.Join(", ", map.Vendors.Select(v => v.Name))}");
            }

            var modelVendor = CpuData.Model(map, host)?.Vendor;
            if (host.Vendor is not null && modelVendor is not null && host.Vendor != modelVendor)
            {
                throw VireoException.InvalidInput(
                    $"{host.Source} says vendor {host.Vendor} but its model {host.Model} is from {modelVendor}; correct the <vendor> or the <model>");
            }

            var hostVendor = host.Vendor ?? modelVendor;
            if (hostVendor is null)
            {
                continue;
            }

            if (vendor is null)
            {
                vendor = hostVendor;
                first = host;
            }
            else if (vendor != hostVendor)
            {
                throw VireoException.InvalidInput(
                    $"{first!.Source} is a CPU from {vendor} but {host.Source} is one from {hostVendor}, and guests cannot live-migrate between vendors; compute one baseline per vendor");
            }
        }

        return vendor;
    }
}

using Vireo.Core;
using Vireo.CpuModels;
using Vireo.DomainXml;
using static Vireo.Testing.FixtureCpuMap;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

/// <summary>
/// The baseline's behaviour on fixed fleets; the expected models and features are what
/// <c>virsh cpu-baseline</c> answered for the same descriptions (libvirt 9.0).
/// </summary>
public sealed class CpuBaselineTests
{
    private static CpuBaselineResult Baseline(params string[] hosts) => CpuBaseline.Compute(X86, Hosts(hosts));

    [Fact]
    public void Nehalem_westmere_and_ivybridge_with_pcid_share_nehalem_at_level_v2()
    {
        var result = Baseline(Host("Nehalem", "Intel"), Host("Westmere", "Intel"), Host("IvyBridge", "Intel", "pcid"));

        result.Model.ShouldBe("Nehalem");
        result.Features.ShouldBeEmpty();
        result.DisabledFeatures.ShouldBeEmpty();
        result.Vendor.ShouldBe("Intel");
        result.ModelIsCommon.ShouldBeFalse();
        result.Level.ShouldBe("v2");
    }

    [Fact]
    public void Each_host_reports_the_features_it_gives_up_sorted()
    {
        var result = Baseline(Host("Nehalem", "Intel"), Host("Westmere", "Intel"), Host("IvyBridge", "Intel", "pcid"));

        result.Hosts.Select(h => h.LostFeatures).ShouldBe(
        [
            [],
            ["aes"],
            ["aes", "avx", "erms", "f16c", "fsgsbase", "pcid", "pclmuldq", "rdrand", "rdtscp", "smep", "tsc-deadline", "vme", "x2apic", "xsave"],
        ]);
        result.Hosts.Select(h => h.Source).ShouldBe(["hosts.xml, cpu 1", "hosts.xml, cpu 2", "hosts.xml, cpu 3"]);
    }

    [Fact]
    public void Skylake_cascadelake_and_icelake_servers_share_skylake_client_ibrs_at_level_v3()
    {
        var result = Baseline(Host("Skylake-Client-IBRS", "Intel"), Host("Cascadelake-Server", "Intel"), Host("Icelake-Server", "Intel"));

        result.Model.ShouldBe("Skylake-Client-IBRS");
        result.Features.ShouldBeEmpty();
        result.Level.ShouldBe("v3");
        result.Hosts[1].Level.ShouldBe("v4");
    }

    [Fact]
    public void Hosts_of_one_model_get_that_model_with_fallback_forbid_and_their_common_extras()
    {
        var result = Baseline(Host("IvyBridge", "Intel", "pcid", "invtsc"), Host("IvyBridge", "Intel", "pcid"));

        result.Model.ShouldBe("IvyBridge");
        result.ModelIsCommon.ShouldBeTrue();
        result.Features.ShouldBe(["pcid"]);
        result.ToCpuConfig().Fallback.ShouldBe(CpuModelFallback.Forbid);
        result.Hosts[0].LostFeatures.ShouldBe(["invtsc"]);
    }

    [Fact]
    public void A_model_kept_out_of_guest_cpus_gives_way_to_its_sibling_with_disabled_features()
    {
        // Icelake-Server-noTSX has <decode guest='off'>: libvirt names it Icelake-Server without TSX,
        // and disables intel-pt, which the map lists as removed from Icelake-Server.
        var result = Baseline(Host("Icelake-Server-noTSX", null));

        result.Model.ShouldBe("Icelake-Server");
        result.ModelIsCommon.ShouldBeFalse();
        result.DisabledFeatures.ShouldBe(["hle", "intel-pt", "rtm"]);
    }

    [Fact]
    public void A_newer_model_with_disabled_features_loses_to_an_older_one_that_only_adds()
    {
        // libvirt charges disabled features more than added ones: Opteron_G5 minus tbm costs as much as
        // Opteron_G4 plus fma and f16c, and the tie goes to the one without disabled features.
        var result = Baseline(Host("Opteron_G5", "AMD", "sgx"), Host("Opteron_G4", "AMD", "f16c", "fma", "sgx"));

        result.Model.ShouldBe("Opteron_G4");
        result.Features.ShouldBe(["f16c", "fma", "sgx"]);
        result.DisabledFeatures.ShouldBeEmpty();
    }

    [Fact]
    public void A_model_one_of_the_hosts_has_wins_over_a_cheaper_one_that_must_disable_features()
    {
        // This machine (an AMD EPYC under a hypervisor, described as kvm64 plus 73 features) and an
        // EPYC host: EPYC minus monitor and svm costs less, but kvm64 is a host's own model and
        // needs nothing disabled, so libvirt answers kvm64 with 38 features.
        var rich = Host("kvm64", "AMD", RichAmdHostFeatures);

        var result = Baseline(rich, Host("EPYC", "AMD"));

        result.Model.ShouldBe("kvm64");
        result.ModelIsCommon.ShouldBeFalse();
        result.DisabledFeatures.ShouldBeEmpty();
        result.Features.Count.ShouldBe(38);
        result.Features.ShouldContain("avx2");
    }

    private static readonly string[] RichAmdHostFeatures =
        ("vme ht pclmuldq ssse3 fma pcid sse4.1 sse4.2 x2apic movbe popcnt tsc-deadline aes xsave osxsave avx f16c rdrand hypervisor "
        + "arat fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb "
        + "avx512cd sha-ni avx512bw avx512vl avx512vbmi umip avx512vbmi2 gfni vaes vpclmulqdq avx512vnni avx512bitalg avx512-vpopcntdq "
        + "rdpid fsrm avx512-bf16 xsaveopt xsavec xgetbv1 xsaves mmxext fxsr_opt pdpe1gb rdtscp lahf_lm cmp_legacy cr8legacy abm sse4a "
        + "misalignsse 3dnowprefetch osvw topoext invtsc clzero xsaveerptr").Split(' ');

    [Fact]
    public void Os_controlled_bits_never_reach_the_baseline_and_are_not_counted_as_lost()
    {
        var result = Baseline(Host("Westmere", "Intel", "invtsc", "osxsave"), Host("Westmere", "Intel", "invtsc", "osxsave", "ospke"));

        result.Features.ShouldBe(["invtsc"]);
        result.Hosts[1].LostFeatures.ShouldBeEmpty();
    }

    [Fact]
    public void Migratable_leaves_out_features_that_block_live_migration()
    {
        var hosts = Hosts(Host("Westmere", "Intel", "invtsc", "pcid"), Host("Westmere", "Intel", "invtsc", "pcid"));

        var result = CpuBaseline.Compute(X86, hosts, new CpuBaselineOptions { Migratable = true });

        result.Features.ShouldBe(["pcid"]);
        result.Hosts[0].LostFeatures.ShouldBe(["invtsc"]);
    }

    [Fact]
    public void The_vendor_is_written_only_when_every_host_names_it()
    {
        Baseline(Host("Nehalem", "Intel"), Host("Westmere", null)).Vendor.ShouldBeNull();
        Baseline(Host("Nehalem", "Intel"), Host("Westmere", "Intel")).Vendor.ShouldBe("Intel");
    }

    [Fact]
    public void Disabled_features_of_a_description_are_taken_away()
    {
        // A domain capabilities host-model CPU carries policy='disable' lines; they are missing features.
        var hosts = CpuDescriptionReader.Read(
            "<cpu><model>Westmere</model><vendor>Intel</vendor><feature policy='disable' name='aes'/></cpu>" + Host("Westmere", "Intel"),
            "hosts.xml");

        var result = CpuBaseline.Compute(X86, hosts);

        result.Model.ShouldBe("Westmere");
        result.DisabledFeatures.ShouldBe(["aes"]);
    }

    [Fact]
    public void Nova_configuration_names_the_model_and_the_flags_with_their_signs()
    {
        var result = new CpuBaselineResult("IvyBridge", "Intel", false, ["pcid", "ssbd"], ["vme"], "v2", []);

        result.NovaConfiguration().ShouldBe(["[libvirt]", "cpu_mode = custom", "cpu_models = IvyBridge", "cpu_model_extra_flags = +pcid, +ssbd, -vme"]);
        new CpuBaselineResult("Nehalem", null, false, [], [], "v2", []).NovaConfiguration().ShouldBe(["[libvirt]", "cpu_mode = custom", "cpu_models = Nehalem"]);
    }

    [Fact]
    public void Nova_configuration_leaves_out_features_that_block_live_migration()
    {
        var result = Baseline(Host("Westmere", "Intel", "invtsc", "pcid"), Host("Westmere", "Intel", "invtsc", "pcid"));

        result.Features.ShouldBe(["invtsc", "pcid"]);
        result.NonMigratableFeatures.ShouldBe(["invtsc"]);
        result.NovaConfiguration().ShouldContain("cpu_model_extra_flags = +pcid");
    }

    [Fact]
    public void Hosts_of_different_vendors_are_refused_naming_both()
    {
        var e = Should.Throw<VireoException>(() => Baseline(Host("Nehalem", "Intel"), Host("Opteron_G2", "AMD")));

        e.Kind.ShouldBe(ErrorKind.InvalidInput);
        e.Message.ShouldContain("hosts.xml, cpu 1 is a CPU from Intel");
        e.Message.ShouldContain("hosts.xml, cpu 2 is one from AMD");
        e.Message.ShouldContain("compute one baseline per vendor");
    }

    [Fact]
    public void Vendors_that_follow_only_from_the_models_are_compared_too()
    {
        // virsh ignores the first host's model vendor and answers kvm64 here; no fleet can migrate across vendors.
        Should.Throw<VireoException>(() => Baseline(Host("Nehalem", null), Host("Opteron_G2", null)))
            .Message.ShouldContain("cannot live-migrate between vendors");
    }

    [Fact]
    public void A_vendor_that_contradicts_the_model_is_refused()
    {
        Should.Throw<VireoException>(() => Baseline(Host("Nehalem", "AMD")))
            .Message.ShouldContain("says vendor AMD but its model Nehalem is from Intel");
    }

    [Theory]
    [InlineData("<cpu><arch>x86_64</arch><model>Westmare</model></cpu>", "Westmare")]
    [InlineData("<cpu><arch>x86_64</arch><model>ivybridge</model></cpu>", "libvirt spells 'IvyBridge'")]
    [InlineData("<cpu><arch>x86_64</arch><model>Nehalem</model><feature name='sse3'/></cpu>", "which is pni in libvirt's CPU map")]
    [InlineData("<cpu><arch>x86_64</arch><model>Nehalem</model><feature name='nosuch'/></cpu>", "does not have")]
    [InlineData("<cpu><arch>x86_64</arch><feature name='sse2'/></cpu>", "names no CPU model")]
    [InlineData("<cpu><arch>ppc64le</arch><model>POWER9</model></cpu>", "ppc64le")]
    [InlineData("<cpu><arch>x86_64</arch><model>Nehalem</model><vendor>Acme</vendor></cpu>", "'Acme'")]
    public void A_description_libvirt_cannot_read_is_refused_with_the_reason(string xml, string reason)
    {
        var e = Should.Throw<VireoException>(() => CpuBaseline.Compute(X86, Hosts(xml)));

        e.Kind.ShouldBe(ErrorKind.InvalidInput);
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public void The_xml_is_a_custom_cpu_with_the_model_vendor_and_features()
    {
        var cpu = Baseline(Host("IvyBridge", "Intel", "pcid"), Host("IvyBridge", "Intel", "pcid")).ToCpuConfig();

        cpu.ShouldBe(new CpuConfig
        {
            Mode = CpuMode.Custom,
            Match = CpuMatch.Exact,
            Model = "IvyBridge",
            Fallback = CpuModelFallback.Forbid,
            Vendor = "Intel",
            Features = [new CpuFeature("pcid")],
        });
    }
}

using Vireo.DomainXml;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>The effective guest CPU from live and defined domain XML captured under TCG on this kind of host (Golden/live-cpu/README.md).</summary>
public sealed class EffectiveCpuReaderTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Some of each model's features as libvirt 9.0 expands them (virsh hypervisor-cpu-baseline --features):
    /// the ones these tests turn on, vmx/svm above all; the reader takes them as values.
    /// </summary>
    private static CpuModelFeatures? Expanded(string? model) => model switch
    {
        "EPYC" => CpuFactValues.Features("EPYC", "sse2", "avx2", "svm", "npt", "3dnowprefetch"),
        "qemu64" => CpuFactValues.Features("qemu64", "sse2", "pni", "svm"),
        "Nehalem" => CpuFactValues.Features("Nehalem", "sse2", "sse4.2", "popcnt"),
        "Westmere" => CpuFactValues.Features("Westmere", "sse2", "sse4.2", "aes"),
        _ => null,
    };

    private static Core.EffectiveGuestCpu ReadCase(string name)
    {
        var live = Golden.Read($"live-cpu/{name}.live.xml");
        return EffectiveCpuReader.Read(live, Golden.Read($"live-cpu/{name}.defined.xml"), Expanded(EffectiveCpuReader.LiveModel(live)?.Model), At);
    }

    [Fact]
    public void Host_model_under_tcg_is_recorded_as_the_expanded_epyc_with_every_policy_and_svm_from_the_model()
    {
        var cpu = ReadCase("host-model");

        cpu.RequestedMode.ShouldBe("host-model");
        cpu.Mode.ShouldBe("custom");
        cpu.Model.ShouldBe("EPYC");
        cpu.Vendor.ShouldBe("AMD");
        cpu.Features.Count.ShouldBe(28);
        cpu.Features.Count(f => f.Policy == "require").ShouldBe(18);
        cpu.Features.ShouldContain(new Core.GuestCpuFeature("vme", "disable"));
        cpu.Features.ShouldContain(new Core.GuestCpuFeature("npt", "require"));
        cpu.Virtualization.Exposed.ShouldBe(true);
        cpu.Virtualization.Feature.ShouldBe("svm");
        cpu.Virtualization.Reason.ShouldContain("EPYC");
        cpu.RecordedAt.ShouldBe(At);
    }

    [Fact]
    public void Host_model_with_svm_disabled_exposes_no_virtualization()
    {
        var cpu = ReadCase("host-model-no-svm");

        cpu.Model.ShouldBe("EPYC");
        cpu.Features.ShouldContain(new Core.GuestCpuFeature("svm", "disable"));
        cpu.Virtualization.Exposed.ShouldBe(false);
        cpu.Virtualization.Reason.ShouldContain("disables svm");
    }

    [Fact]
    public void Custom_model_whose_required_vmx_and_pcid_tcg_dropped_shows_them_disabled_and_vmx_not_exposed()
    {
        var cpu = ReadCase("custom-nehalem-vmx-pcid");

        cpu.RequestedMode.ShouldBe("custom");
        cpu.Model.ShouldBe("Nehalem");
        cpu.Vendor.ShouldBeNull();
        cpu.Features.ShouldBe([new("pcid", "disable"), new("vmx", "disable"), new("hypervisor", "require")], ignoreOrder: true);
        cpu.Virtualization.Exposed.ShouldBe(false);
        cpu.Virtualization.Reason.ShouldContain("disables vmx");
    }

    [Fact]
    public void Custom_model_without_vmx_or_svm_says_the_model_has_neither()
    {
        var cpu = ReadCase("custom-westmere");

        cpu.Model.ShouldBe("Westmere");
        cpu.Features.Select(f => f.Name).ShouldBe(["arat", "hypervisor", "pclmuldq"]);
        cpu.Virtualization.Exposed.ShouldBe(false);
        cpu.Virtualization.Reason.ShouldBe("model Westmere has neither vmx nor svm and the running CPU adds neither");
    }

    [Fact]
    public void Mode_none_runs_qemu64_which_carries_svm_and_without_metadata_the_stored_definition_reads_as_custom()
    {
        var cpu = ReadCase("none");

        cpu.Model.ShouldBe("qemu64");
        cpu.Virtualization.Exposed.ShouldBe(true);
        cpu.Virtualization.Feature.ShouldBe("svm");

        // libvirt stored qemu64 in the definition: only Vireo's metadata still knows it was none.
        cpu.RequestedMode.ShouldBe("custom");
    }

    [Fact]
    public void Requested_mode_comes_from_vireo_metadata_when_the_definition_carries_it()
    {
        var metadata = VireoMetadataXml.Format(new VireoMetadata("install-1", CpuMode: "none"));
        var defined = Golden.Read("live-cpu/none.defined.xml").Replace("</domain>", $"<metadata>{metadata}</metadata></domain>", StringComparison.Ordinal);

        var cpu = EffectiveCpuReader.Read(Golden.Read("live-cpu/none.live.xml"), defined, Expanded("qemu64"), At);

        cpu.RequestedMode.ShouldBe("none");
    }

    [Theory]
    [InlineData("<cpu mode='host-model'/>", "host-model")]
    [InlineData("<cpu mode='host-passthrough'/>", "host-passthrough")]
    [InlineData("<cpu mode='custom'><model>Westmere</model></cpu>", "custom")]
    [InlineData("<cpu match='exact'><topology sockets='1' cores='1' threads='1'/></cpu>", "none")]
    public void Requested_mode_of_a_definition_without_metadata_follows_novas_shapes(string cpu, string expected) =>
        EffectiveCpuReader.RequestedMode(CpuXml.Parse(cpu)).ShouldBe(expected);

    [Fact]
    public void No_cpu_element_in_the_definition_is_mode_none() => EffectiveCpuReader.RequestedMode(null).ShouldBe("none");

    [Theory]
    [InlineData("<cpu mode='host-passthrough'/>", null, null)]
    [InlineData("<cpu mode='custom'><model>Westmere</model><feature policy='require' name='vmx'/></cpu>", true, "vmx")]
    [InlineData("<cpu mode='custom'><model>Westmere</model><feature policy='force' name='svm'/></cpu>", true, "svm")]
    [InlineData("<cpu mode='custom'><model>EPYC</model></cpu>", true, "svm")]
    [InlineData("<cpu mode='custom'><model>EPYC</model><feature policy='forbid' name='svm'/></cpu>", false, null)]
    [InlineData("<cpu mode='custom'><model>NoSuchModel</model></cpu>", null, null)]
    [InlineData("<cpu mode='custom'><model>NoSuchModel</model><feature policy='disable' name='vmx'/><feature policy='disable' name='svm'/></cpu>", false, null)]
    public void Virtualization_follows_the_model_features_and_the_policies(string cpu, bool? exposed, string? feature)
    {
        var parsed = CpuXml.Parse(cpu);
        var result = EffectiveCpuReader.Virtualization(parsed, Expanded(parsed.Model));

        result.Exposed.ShouldBe(exposed);
        result.Feature.ShouldBe(feature);
        result.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Svm_comes_from_the_facts_given_for_the_running_model_and_not_from_another_models()
    {
        var epyc = CpuXml.Parse("<cpu mode='custom'><model>EPYC</model></cpu>");

        var withFacts = EffectiveCpuReader.Virtualization(epyc, CpuFactValues.Features("EPYC", "svm"));
        withFacts.Exposed.ShouldBe(true);
        withFacts.Reason.ShouldContain(CpuFactValues.Source);

        // A daemon whose EPYC lacks svm answers no, whatever libvirt's map on this machine says.
        EffectiveCpuReader.Virtualization(epyc, CpuFactValues.Features("EPYC", "sse2")).Exposed.ShouldBe(false);

        var other = EffectiveCpuReader.Virtualization(epyc, CpuFactValues.Features("qemu64", "svm"));
        other.Exposed.ShouldBeNull();
        other.Reason.ShouldContain("did not expand model EPYC");
    }

    [Theory]
    [InlineData("host-model", "qemu", "x86_64", "EPYC")]
    [InlineData("custom-westmere", "qemu", "x86_64", "Westmere")]
    [InlineData("none", "qemu", "x86_64", "qemu64")]
    public void The_live_model_to_expand_is_read_with_its_virt_type_and_arch(string name, string virtType, string arch, string model)
    {
        EffectiveCpuReader.LiveModel(Golden.Read($"live-cpu/{name}.live.xml")).ShouldBe(new LiveCpuModel(virtType, arch, model));
    }

    [Fact]
    public void A_live_cpu_without_a_model_has_nothing_to_expand()
    {
        EffectiveCpuReader.LiveModel("<domain type='qemu'><os><type arch='x86_64'>hvm</type></os><cpu mode='host-passthrough'/></domain>").ShouldBeNull();
        EffectiveCpuReader.LiveModel("<domain type='qemu'><os><type arch='x86_64'>hvm</type></os></domain>").ShouldBeNull();
    }

    [Fact]
    public void Malformed_live_xml_is_a_failure_naming_which_document()
    {
        var e = Should.Throw<Core.VireoException>(() => EffectiveCpuReader.Read("<domain>", Golden.Read("live-cpu/none.defined.xml"), null, At));

        e.Kind.ShouldBe(Core.ErrorKind.Failed);
        e.Message.ShouldContain("live domain XML");
    }
}

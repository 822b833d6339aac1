using Vireo.Core;
using Vireo.CpuModels;
using Vireo.DomainXml;

namespace Vireo.CpuModels.Tests;

public sealed class CpuDescriptionReaderTests
{
    [Fact]
    public void Several_top_level_cpu_elements_are_several_hosts_numbered_in_order()
    {
        var cpus = CpuDescriptionReader.Read(
            "<?xml version='1.0'?>\n<cpu><arch>x86_64</arch><model>Nehalem</model></cpu>\n<cpu><model>Westmere</model><vendor>Intel</vendor></cpu>",
            "fleet.xml");

        cpus.Select(c => (c.Source, c.Model, c.Vendor, c.Arch)).ShouldBe(
        [
            ("fleet.xml, cpu 1", "Nehalem", null, "x86_64"),
            ("fleet.xml, cpu 2", "Westmere", "Intel", null),
        ]);
    }

    [Fact]
    public void Host_capabilities_give_the_host_cpu_with_features_required()
    {
        var cpu = CpuDescriptionReader.Read(
            "<capabilities><host><uuid>x</uuid><cpu><arch>x86_64</arch><model>kvm64</model><vendor>AMD</vendor>"
            + "<topology sockets='1' dies='1' cores='2' threads='1'/><feature name='avx'/></cpu></host>"
            + "<guest><arch name='x86_64'><cpu/></arch></guest></capabilities>",
            "caps.xml").Single();

        cpu.Model.ShouldBe("kvm64");
        cpu.Cpu.Features.ShouldBe([new CpuFeature("avx", CpuFeaturePolicy.Require)]);
    }

    [Fact]
    public void Domain_capabilities_give_the_supported_host_model_cpu_with_its_policies()
    {
        var cpu = CpuDescriptionReader.Read(
            "<domainCapabilities><arch>x86_64</arch><cpu><mode name='host-passthrough' supported='no'/>"
            + "<mode name='host-model' supported='yes'><model fallback='forbid'>EPYC</model><vendor>AMD</vendor>"
            + "<feature policy='require' name='acpi'/><feature policy='disable' name='vme'/></mode></cpu></domainCapabilities>",
            "domcaps.xml").Single();

        cpu.Model.ShouldBe("EPYC");
        cpu.Arch.ShouldBe("x86_64");
        cpu.Cpu.Mode.ShouldBe(CpuMode.Custom);
        cpu.Cpu.Features.ShouldBe([new CpuFeature("acpi", CpuFeaturePolicy.Require), new CpuFeature("vme", CpuFeaturePolicy.Disable)]);
    }

    [Fact]
    public void Domain_xml_gives_the_guest_cpu_with_its_match()
    {
        var cpu = CpuDescriptionReader.Read(
            "<domain type='qemu'><name>a</name><os><type arch='x86_64'>hvm</type></os><cpu mode='custom' match='strict'><model>Nehalem</model></cpu></domain>",
            "guest.xml").Single();

        (cpu.Model, cpu.Match, cpu.Arch).ShouldBe(("Nehalem", CpuMatchPolicy.Strict, "x86_64"));
    }

    [Theory]
    [InlineData("<domainCapabilities><cpu><mode name='host-model' supported='no'/></cpu></domainCapabilities>")]
    [InlineData("<domain><name>a</name></domain>")]
    [InlineData("<cpus><cpu><model>Nehalem</model></cpu></cpus>")]
    public void A_file_without_a_cpu_virsh_would_take_is_refused(string xml)
    {
        var e = Should.Throw<VireoException>(() => CpuDescriptionReader.Read(xml, "x.xml"));

        e.Kind.ShouldBe(ErrorKind.InvalidInput);
        e.Message.ShouldContain("x.xml holds no <cpu> element");
    }

    [Theory]
    [InlineData("<cpu><model>Nehalem</cpu>", "not well-formed")]
    [InlineData("<!DOCTYPE cpu [<!ENTITY a 'b'>]><cpu><model>&a;</model></cpu>", "not well-formed")]
    [InlineData("<cpu match='loose'><model>Nehalem</model></cpu>", "loose")]
    [InlineData("<cpu><model>Nehalem</model><feature policy='maybe' name='aes'/></cpu>", "not a valid <cpu> element")]
    [InlineData("<cpu><model>Nehalem</model><feature name='aes'/><feature name='aes'/></cpu>", "names CPU feature 'aes' more than once")]
    public void Broken_xml_is_refused_naming_the_file(string xml, string reason)
    {
        var e = Should.Throw<VireoException>(() => CpuDescriptionReader.Read(xml, "x.xml"));

        e.Kind.ShouldBe(ErrorKind.InvalidInput);
        e.Message.ShouldContain("x.xml");
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public void An_unreadable_file_is_refused_naming_it()
    {
        Should.Throw<VireoException>(() => CpuDescriptionReader.ReadFile("/nonexistent/hosts.xml"))
            .Message.ShouldContain("cannot read /nonexistent/hosts.xml");
    }
}

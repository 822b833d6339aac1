using System.Xml.Linq;
using Vireo.DomainXml.Tests.TestSupport;

namespace Vireo.DomainXml.Tests;

public sealed class CpuXmlTests
{
    private static string Compact(XElement element) => element.ToString(SaveOptions.DisableFormatting);

    [Fact]
    public void A_custom_cpu_is_a_bare_element_usable_for_compare_hypervisor_cpu()
    {
        var cpu = new CpuConfig
        {
            Match = CpuMatch.Exact,
            Model = "Nehalem",
            Fallback = CpuModelFallback.Forbid,
            Vendor = "Intel",
            Features = [new CpuFeature("x2apic", CpuFeaturePolicy.Disable), new CpuFeature("pcid")],
        };

        Compact(CpuXml.ToElement(cpu)).ShouldBe(
            "<cpu mode=\"custom\" match=\"exact\"><model fallback=\"forbid\">Nehalem</model><vendor>Intel</vendor>"
            + "<feature policy=\"require\" name=\"pcid\" /><feature policy=\"disable\" name=\"x2apic\" /></cpu>");
        CpuXml.Parse(CpuXml.Format(cpu)).ShouldBe(cpu);
    }

    [Fact]
    public void A_custom_cpu_without_a_model_is_written_as_topology_only()
    {
        var cpu = new CpuConfig { Topology = new CpuTopology(4, 2, 1) };

        Compact(CpuXml.ToElement(cpu)).ShouldBe("<cpu><topology sockets=\"4\" cores=\"2\" threads=\"1\" /></cpu>");
        CpuXml.Parse(CpuXml.ToElement(cpu)).ShouldBe(cpu);
    }

    [Fact]
    public void Nova_confs_none_is_not_written_as_a_mode()
    {
        // nova.conf's cpu_mode=none is a custom CPU without a model in XML; the attribute has no word for it.
        Should.Throw<ArgumentException>(() => CpuXml.ToElement(new CpuConfig { Mode = CpuMode.None }))
            .Message.ShouldContain("custom CPU without a model");
    }

    [Fact]
    public void A_mode_the_xml_has_no_word_for_is_refused_on_reading()
    {
        Should.Throw<DomainXmlException>(() => CpuXml.Parse(XElement.Parse("<cpu mode='none'/>")));
    }

    [Theory]
    [InlineData(CpuMode.HostModel, "host-model")]
    [InlineData(CpuMode.HostPassthrough, "host-passthrough")]
    [InlineData(CpuMode.Maximum, "maximum")]
    public void Host_derived_modes_write_the_mode_and_no_match(CpuMode mode, string xml)
    {
        Compact(CpuXml.ToElement(new CpuConfig { Mode = mode })).ShouldBe($"<cpu mode=\"{xml}\" />");
    }

    [Fact]
    public void Dies_are_written_only_when_not_one()
    {
        CpuXml.ToElement(CpuTopologyCpu(dies: 1)).Element("topology")!.Attribute("dies").ShouldBeNull();
        CpuXml.ToElement(CpuTopologyCpu(dies: 2)).Element("topology")!.Attribute("dies")!.Value.ShouldBe("2");
    }

    private static CpuConfig CpuTopologyCpu(int dies) => new() { Topology = new CpuTopology(1, 2, 1, dies) };

    [Fact]
    public void Parsing_ignores_what_libvirt_adds_and_defaults_a_missing_policy_to_require()
    {
        const string xml = """
            <cpu mode='host-passthrough' check='none' migratable='on'>
              <topology sockets='1' dies='1' cores='2' threads='1'/>
              <feature name='vmx'/>
              <cache mode='passthrough'/>
            </cpu>
            """;

        CpuXml.Parse(xml).ShouldBe(new CpuConfig
        {
            Mode = CpuMode.HostPassthrough,
            Topology = new CpuTopology(1, 2, 1),
            Features = [new CpuFeature("vmx", CpuFeaturePolicy.Require)],
        });
    }

    [Fact]
    public void A_topology_missing_cores_is_an_error_naming_the_element()
    {
        Should.Throw<DomainXmlException>(() => CpuXml.Parse("<cpu><topology sockets='1' threads='1'/></cpu>"))
            .Message.ShouldBe("/cpu/topology: required attribute 'cores' is missing");
    }

    [Fact]
    public void Domain_capabilities_give_supported_modes_host_model_and_named_models()
    {
        var caps = CpuXml.ParseDomainCapabilities(File.ReadAllText(RepositoryPaths.Sample("domcapabilities-qemu-tcg.xml")));

        caps.ShouldBe(new DomainCapabilitiesCpu
        {
            HostPassthroughSupported = false,
            MaximumSupported = true,
            HostModelSupported = true,
            HostModel = new CpuConfig
            {
                Model = "EPYC",
                Fallback = CpuModelFallback.Forbid,
                Vendor = "AMD",
                Features =
                [
                    new CpuFeature("hypervisor"), new CpuFeature("svm"), new CpuFeature("tsc-deadline"),
                    new CpuFeature("x2apic"), new CpuFeature("xsaves", CpuFeaturePolicy.Disable),
                ],
            },
            CustomSupported = true,
            CustomModels =
            [
                new CpuModelInfo("qemu64", CpuModelUsability.Yes, "unknown"),
                new CpuModelInfo("Nehalem", CpuModelUsability.Yes, "Intel"),
                new CpuModelInfo("Westmere", CpuModelUsability.Yes, "Intel"),
                new CpuModelInfo("IvyBridge", CpuModelUsability.No, "Intel"),
                new CpuModelInfo("Opteron_G2", CpuModelUsability.Yes, "AMD"),
                new CpuModelInfo("Opteron_G5", CpuModelUsability.No, "AMD", Deprecated: true),
            ],
        });
    }

    [Fact]
    public void The_host_model_from_domain_capabilities_formats_as_a_comparable_custom_cpu()
    {
        var caps = CpuXml.ParseDomainCapabilities(File.ReadAllText(RepositoryPaths.Sample("domcapabilities-qemu-tcg.xml")));

        var cpu = CpuXml.ToElement(caps.HostModel!);

        cpu.Attribute("mode")!.Value.ShouldBe("custom");
        cpu.Element("model")!.Value.ShouldBe("EPYC");
    }

    [Fact]
    public void Unsupported_host_model_has_no_cpu_definition()
    {
        const string xml = "<cpu><mode name='host-model' supported='no'/><mode name='custom' supported='no'/></cpu>";

        var caps = CpuXml.ParseDomainCapabilities(xml);

        caps.HostModelSupported.ShouldBeFalse();
        caps.HostModel.ShouldBeNull();
        caps.CustomModels.ShouldBeEmpty();
    }

    [Fact]
    public void Host_capabilities_give_the_host_cpu_with_sorted_feature_names()
    {
        var host = CpuXml.ParseHostCapabilities(File.ReadAllText(RepositoryPaths.Sample("capabilities-host.xml")));

        host.ShouldBe(new HostCpu
        {
            Arch = "x86_64",
            Model = "Skylake-Client-noTSX-IBRS",
            Vendor = "Intel",
            Topology = new CpuTopology(1, 2, 1),
            Features = ["clflushopt", "hypervisor", "md-clear", "ss", "tsc_adjust"],
        });
    }
}

using System.Xml.Linq;
using Vireo.Core;
using Vireo.DomainXml.Tests.TestSupport;

namespace Vireo.DomainXml.Tests;

public sealed class DomainXmlWriterTests
{
    private static readonly DomainDefinition Guest = SampleDomains.KvmHostModelWithExtraFeatures();

    [Fact]
    public void Formatting_is_deterministic()
    {
        DomainXmlWriter.Format(Guest).ShouldBe(DomainXmlWriter.Format(SampleDomains.KvmHostModelWithExtraFeatures()));
    }

    [Fact]
    public void The_order_features_are_given_in_does_not_change_the_output()
    {
        var reordered = Guest with
        {
            Features = ["apic", "vmcoreinfo", "acpi", "apic"],
            Cpu = Guest.Cpu! with { Features = [.. Guest.Cpu.Features.Reverse()] },
        };

        reordered.ShouldBe(Guest);
        DomainXmlWriter.Format(reordered).ShouldBe(DomainXmlWriter.Format(Guest));
    }

    [Fact]
    public void Top_level_elements_follow_novas_order()
    {
        var names = DomainXmlWriter.ToElement(Guest).Elements().Select(e => e.Name.LocalName);

        names.ShouldBe([
            "uuid", "name", "memory", "currentMemory", "vcpu", "metadata", "os", "features", "clock", "cpu",
            "on_poweroff", "on_reboot", "on_crash", "devices",
        ]);
    }

    [Fact]
    public void Memory_is_written_in_KiB_as_both_memory_and_current_memory()
    {
        var domain = DomainXmlWriter.ToElement(Guest);

        foreach (var name in new[] { "memory", "currentMemory" })
        {
            domain.Element(name)!.Attribute("unit")!.Value.ShouldBe("KiB");
            domain.Element(name)!.Value.ShouldBe("2097152");
        }
    }

    [Fact]
    public void Only_the_serial_port_is_written_since_libvirt_derives_the_console_from_it()
    {
        var devices = DomainXmlWriter.ToElement(Guest).Element("devices")!;

        devices.Elements().Select(e => e.Name.LocalName).ShouldBe(["disk", "serial", "channel", "memballoon"]);
    }

    [Fact]
    public void Cpu_mode_none_writes_no_cpu_element()
    {
        DomainXmlWriter.ToElement(SampleDomains.CpuModeNone()).Element("cpu").ShouldBeNull();
    }

    [Fact]
    public void Text_uses_unix_line_ends_and_ends_with_one()
    {
        var text = DomainXmlWriter.Format(Guest);

        text.ShouldNotContain("\r");
        text.ShouldEndWith("</domain>\n");
    }

    [Fact]
    public void Special_characters_in_names_and_paths_are_escaped_and_survive()
    {
        var odd = Guest with
        {
            Metadata = new VireoMetadata("lab", DisplayName: "<a & 'b' \"c\">"),
            Devices = Guest.Devices with { Serials = [new SerialConfig("/srv/a&b/<log>")] },
        };

        DomainXmlReader.Parse(DomainXmlWriter.Format(odd)).ShouldBe(odd);
    }

    [Fact]
    public void An_empty_name_is_refused()
    {
        Should.Throw<DomainXmlException>(() => DomainXmlWriter.Format(Guest with { Name = "" }))
            .Message.ShouldBe("the domain name is empty; libvirt requires one");
    }

    [Theory]
    [InlineData(0, 1, "domain 'instance-00000002': memory is 0 KiB; it must be positive")]
    [InlineData(1024, 0, "domain 'instance-00000002': vcpus is 0; it must be at least 1")]
    public void Sizes_libvirt_would_refuse_are_refused(long memoryKiB, int vcpus, string message)
    {
        Should.Throw<DomainXmlException>(() => DomainXmlWriter.Format(Guest with { MemoryKiB = memoryKiB, Vcpus = vcpus }))
            .Message.ShouldBe(message);
    }

    [Fact]
    public void A_feature_name_that_is_not_an_xml_name_is_refused()
    {
        Should.Throw<DomainXmlException>(() => DomainXmlWriter.Format(Guest with { Features = ["acpi", "not valid"] }))
            .Message.ShouldBe("domain feature 'not valid' is not a valid XML element name");
    }

    [Fact]
    public void A_cpu_feature_listed_twice_with_different_policies_is_refused()
    {
        var cpu = Guest.Cpu! with { Features = [new CpuFeature("vmx"), new CpuFeature("vmx", CpuFeaturePolicy.Disable)] };

        Should.Throw<DomainXmlException>(() => DomainXmlWriter.Format(Guest with { Cpu = cpu }))
            .Message.ShouldContain("'vmx' is listed more than once");
    }

    [Fact]
    public void Optional_attributes_left_unset_are_not_written()
    {
        var domain = Guest with
        {
            Os = Guest.Os with { Machine = null },
            Devices = new DeviceConfig
            {
                Disks = [new DiskConfig { Format = DiskFormat.Raw, Source = new DiskSource.File("/d"), TargetDev = "vda" }],
                Memballoon = new MemballoonConfig(),
            },
        };

        var element = DomainXmlWriter.ToElement(domain);

        element.Element("os")!.Element("type")!.Attribute("machine").ShouldBeNull();
        element.Descendants("driver").Single().Attributes().Select(a => a.Name.LocalName).ShouldBe(["name", "type"]);
        element.Descendants("memballoon").Single().ToString(SaveOptions.DisableFormatting).ShouldBe("<memballoon model=\"virtio\" />");
    }
}

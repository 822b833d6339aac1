using System.Xml.Linq;
using Vireo.Core;
using Vireo.DomainXml.Tests.TestSupport;

namespace Vireo.DomainXml.Tests;

public sealed class DomainXmlReaderTests
{
    private const string MinimalDomain = """
        <domain type='qemu'>
          <name>bare</name>
          <uuid>5f3c8e4a2b1d4c6e9a7f0d1e2f3a4b5c</uuid>
          <memory>65536</memory>
          <os><type arch='x86_64'>hvm</type></os>
        </domain>
        """;

    private static XElement Golden() => XElement.Parse(DomainXmlWriter.Format(SampleDomains.MinimalQemuGuest()));

    private static DomainXmlException ParseFails(XElement domain) =>
        Should.Throw<DomainXmlException>(() => DomainXmlReader.Parse(domain.ToString()));

    [Fact]
    public void Missing_optional_elements_take_libvirts_defaults()
    {
        var domain = DomainXmlReader.Parse(MinimalDomain);

        domain.ShouldBe(new DomainDefinition
        {
            Type = DomainType.Qemu,
            Name = "bare",
            Uuid = Guid.Parse("5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c"),
            MemoryKiB = 65536,
            Vcpus = 1,
            Os = new OsConfig { Arch = "x86_64" },
        });
        domain.OnReboot.ShouldBe(LifecycleAction.Restart);
        domain.Clock.Offset.ShouldBe(ClockOffset.Utc);
    }

    [Theory]
    [InlineData("2", "GiB", 2 * 1024 * 1024)]
    [InlineData("2", "G", 2 * 1024 * 1024)]
    [InlineData("512", "MiB", 512 * 1024)]
    [InlineData("1", "MB", 977)]
    [InlineData("2048", "bytes", 2)]
    [InlineData("1", "b", 1)]
    [InlineData("4", "k", 4)]
    public void Memory_in_any_libvirt_unit_is_converted_to_KiB_rounding_up(string value, string unit, long expectedKiB)
    {
        var xml = XElement.Parse(MinimalDomain);
        xml.Element("memory")!.ReplaceWith(new XElement("memory", new XAttribute("unit", unit), value));

        DomainXmlReader.Parse(xml).MemoryKiB.ShouldBe(expectedKiB);
    }

    [Fact]
    public void Malformed_xml_is_reported_as_a_domain_xml_error()
    {
        Should.Throw<DomainXmlException>(() => DomainXmlReader.Parse("<domain type='kvm'><name>x</domain>"))
            .Message.ShouldStartWith("domain XML is not well-formed XML");
    }

    [Fact]
    public void A_document_type_declaration_is_refused_rather_than_expanded()
    {
        const string xml = "<!DOCTYPE domain [<!ENTITY x 'boom'>]><domain type='kvm'><name>&x;</name></domain>";

        Should.Throw<DomainXmlException>(() => DomainXmlReader.Parse(xml)).Message.ShouldContain("DTD");
    }

    [Fact]
    public void Another_root_element_is_rejected()
    {
        Should.Throw<DomainXmlException>(() => DomainXmlReader.Parse("<network/>"))
            .Message.ShouldBe("expected a <domain> element but found <network>");
    }

    [Theory]
    [InlineData("name")]
    [InlineData("uuid")]
    [InlineData("memory")]
    [InlineData("os")]
    public void A_missing_required_element_is_named_in_the_error(string element)
    {
        var xml = Golden();
        xml.Element(element)!.Remove();

        ParseFails(xml).Message.ShouldBe($"/domain: required element <{element}> is missing");
    }

    [Fact]
    public void An_unsupported_domain_type_lists_the_supported_ones()
    {
        var xml = Golden();
        xml.SetAttributeValue("type", "xen");

        ParseFails(xml).Message.ShouldBe("/domain: attribute 'type' is 'xen', expected one of: kvm, qemu");
    }

    [Fact]
    public void A_uuid_that_is_not_a_uuid_is_an_error()
    {
        var xml = Golden();
        xml.Element("uuid")!.Value = "not-a-uuid";

        ParseFails(xml).Message.ShouldBe("/domain/uuid: 'not-a-uuid' is not a UUID");
    }

    [Fact]
    public void A_disk_without_an_explicit_format_is_an_error_because_qemu_must_not_probe()
    {
        var xml = Golden();
        xml.Descendants("driver").Single().Attribute("type")!.Remove();

        ParseFails(xml).Message.ShouldStartWith("/domain/devices/disk/driver: attribute 'type' (the image format) is missing");
    }

    [Theory]
    [InlineData("vpc")]
    [InlineData("vmdk")]
    [InlineData("iso")]
    public void A_disk_format_guests_are_not_defined_with_lists_raw_and_qcow2(string type)
    {
        var xml = Golden();
        xml.Descendants("driver").Single().SetAttributeValue("type", type);

        ParseFails(xml).Message.ShouldBe($"/domain/devices/disk/driver: attribute 'type' is '{type}', expected one of: raw, qcow2");
    }

    [Fact]
    public void Writing_a_disk_in_a_format_guests_are_not_defined_with_is_refused()
    {
        var domain = SampleDomains.MinimalQemuGuest();
        var vmdk = domain with { Devices = domain.Devices with { Disks = [domain.Devices.Disks[0] with { Format = DiskFormat.Vmdk }] } };

        Should.Throw<ArgumentOutOfRangeException>(() => DomainXmlWriter.Format(vmdk));
    }

    [Fact]
    public void A_disk_form_the_model_cannot_represent_is_an_error_with_its_position()
    {
        var xml = Golden();
        var devices = xml.Element("devices")!;
        devices.Element("disk")!.AddAfterSelf(new XElement("disk", new XAttribute("type", "volume")));

        ParseFails(xml).Message.ShouldBe("/domain/devices/disk[2]: type 'volume' is not supported by this model; only 'file', 'block' and 'network' (rbd) are");
    }

    [Fact]
    public void A_network_disk_other_than_rbd_is_an_error_naming_its_protocol()
    {
        var xml = Golden();
        var disk = xml.Element("devices")!.Element("disk")!;
        disk.SetAttributeValue("type", "network");
        disk.Element("source")!.ReplaceWith(new XElement("source", new XAttribute("protocol", "iscsi"), new XAttribute("name", "iqn.2026-01.example:t/1")));

        ParseFails(xml).Message.ShouldBe("/domain/devices/disk/source: protocol 'iscsi' is not supported by this model; only 'rbd' is");
    }

    [Fact]
    public void An_rbd_disk_reads_its_pool_image_monitors_and_cephx_secret()
    {
        var xml = Golden();
        var disk = xml.Element("devices")!.Element("disk")!;
        disk.SetAttributeValue("type", "network");
        disk.Element("source")!.ReplaceWith(
            new XElement("source", new XAttribute("protocol", "rbd"), new XAttribute("name", "vms/abc_disk"),
                new XElement("host", new XAttribute("name", "192.0.2.1"), new XAttribute("port", "6789")),
                new XElement("host", new XAttribute("name", "mon-b"))),
            new XElement("auth", new XAttribute("username", "nova"),
                new XElement("secret", new XAttribute("type", "ceph"), new XAttribute("uuid", "457eb676-33da-42ec-9a8c-9293d545c337"))));

        DomainXmlReader.Parse(xml.ToString()).Devices.Disks.Single().Source.ShouldBe(
            new DiskSource.Rbd("vms", "abc_disk", [new NetworkHost("192.0.2.1", 6789), new NetworkHost("mon-b", null)], "nova", Guid.Parse("457eb676-33da-42ec-9a8c-9293d545c337")));
    }

    [Fact]
    public void An_unknown_cache_mode_lists_the_accepted_values()
    {
        var xml = Golden();
        xml.Descendants("driver").Single().SetAttributeValue("cache", "fast");

        ParseFails(xml).Message.ShouldBe(
            "/domain/devices/disk/driver: attribute 'cache' is 'fast', expected one of: default, none, writethrough, writeback, directsync, unsafe");
    }

    [Fact]
    public void A_serial_file_without_append_is_read_as_truncating_like_libvirt()
    {
        var xml = Golden();
        xml.Descendants("serial").Single().Element("source")!.Attribute("append")!.Remove();

        DomainXmlReader.Parse(xml).Devices.Serials.Single().Append.ShouldBeFalse();
    }

    [Fact]
    public void Features_with_children_are_outside_the_model_and_skipped()
    {
        var xml = Golden();
        xml.Element("features")!.Add(new XElement("hyperv", new XElement("relaxed", new XAttribute("state", "on"))));

        DomainXmlReader.Parse(xml).Features.ShouldBe(["acpi", "apic", "vmcoreinfo"]);
    }

    /// <summary>Inside &lt;features&gt; every flag element is a feature, so that subtree is left out.</summary>
    [Fact]
    public void Unknown_elements_anywhere_else_are_ignored()
    {
        var xml = Golden();
        var elements = xml.DescendantsAndSelf()
            .Where(e => e.Name.Namespace == XNamespace.None && !e.AncestorsAndSelf("features").Any())
            .ToList();
        foreach (var element in elements)
        {
            element.Add(new XElement("future-element", new XAttribute("x", "1")));
        }

        DomainXmlReader.Parse(xml).ShouldBe(SampleDomains.MinimalQemuGuest());
    }
}

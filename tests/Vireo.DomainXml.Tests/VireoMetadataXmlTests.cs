using System.Xml.Linq;

namespace Vireo.DomainXml.Tests;

public sealed class VireoMetadataXmlTests
{
    private const string Ns = VireoMetadataXml.NamespaceUri;

    [Fact]
    public void A_domain_without_metadata_is_not_vireos()
    {
        VireoMetadataXml.Extract("<domain type='kvm'><name>other</name></domain>").ShouldBeNull();
    }

    [Fact]
    public void A_domain_with_only_other_namespaces_in_metadata_is_not_vireos()
    {
        const string xml = """
            <domain type='kvm'><name>nova-guest</name><metadata>
              <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1"><nova:name>x</nova:name></nova:instance>
            </metadata></domain>
            """;

        VireoMetadataXml.Extract(xml).ShouldBeNull();
    }

    [Fact]
    public void A_future_namespace_version_is_not_read_as_this_one()
    {
        const string xml = """
            <domain type='kvm'><metadata>
              <v:instance xmlns:v="https://vireo.dev/xmlns/domain/2.0" installation="lab"/>
            </metadata></domain>
            """;

        VireoMetadataXml.Extract(xml).ShouldBeNull();
    }

    [Fact]
    public void The_bare_element_virDomainGetMetadata_returns_is_read_whatever_its_prefix()
    {
        var xml = $"<instance xmlns='{Ns}' installation='lab' id='5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c'><name>web</name></instance>";

        VireoMetadataXml.Extract(xml).ShouldBe(new VireoMetadata("lab", Guid.Parse("5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c"), "web"));
    }

    [Fact]
    public void Unknown_attributes_and_children_inside_vireos_element_are_ignored()
    {
        var xml = $"<vireo:instance xmlns:vireo='{Ns}' installation='lab' later='x'><vireo:ports/><other xmlns='urn:x'/></vireo:instance>";

        VireoMetadataXml.Extract(xml).ShouldBe(new VireoMetadata("lab"));
    }

    [Fact]
    public void The_element_declares_the_vireo_prefix_itself_so_it_can_be_set_alone()
    {
        var text = VireoMetadataXml.Format(new VireoMetadata("lab"));

        text.ShouldStartWith($"<vireo:instance xmlns:vireo=\"{Ns}\" installation=\"lab\"");
    }

    [Fact]
    public void Creation_time_is_written_in_utc_with_a_z_suffix()
    {
        var created = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.FromHours(2));

        var element = VireoMetadataXml.ToElement(new VireoMetadata("lab", CreatedAt: created));

        element.Element(XName.Get("created", Ns))!.Value.ShouldBe("2026-11-27T10:00:00Z");
    }

    [Fact]
    public void Missing_installation_id_is_an_error_that_names_the_element()
    {
        var xml = $"<domain type='kvm'><metadata><vireo:instance xmlns:vireo='{Ns}'/></metadata></domain>";

        var error = Should.Throw<DomainXmlException>(() => VireoMetadataXml.Extract(xml));

        error.Message.ShouldBe("/domain/metadata/instance: required attribute 'installation' is missing");
    }

    [Fact]
    public void An_instance_id_that_is_not_a_uuid_is_an_error()
    {
        var xml = $"<vireo:instance xmlns:vireo='{Ns}' installation='lab' id='42'/>";

        Should.Throw<DomainXmlException>(() => VireoMetadataXml.Extract(xml)).Message.ShouldContain("'42' is not a UUID");
    }

    [Fact]
    public void Writing_metadata_without_an_installation_id_is_refused()
    {
        Should.Throw<DomainXmlException>(() => VireoMetadataXml.ToElement(new VireoMetadata(" ")))
            .Message.ShouldContain("installation id");
    }
}

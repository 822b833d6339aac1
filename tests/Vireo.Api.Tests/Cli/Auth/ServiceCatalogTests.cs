using Vireo.Cli;
using Vireo.Cli.Client;
using Vireo.Cli.Client.Auth;
using Vireo.Cli.Client.Keystone;
using Vireo.Identity;

namespace Vireo.Api.Tests.Cli.Auth;

public sealed class ServiceCatalogTests
{
    private static readonly KeystoneScope Public = new(new Uri("http://k:5000/v3"), new NamedInDomain("p1", null, null, null), null, "public");

    private static readonly IReadOnlyList<CatalogService> Catalog =
    [
        new("identity", [new("public", "RegionOne", "RegionOne", "http://k:5000/v3")]),
        new("compute",
        [
            new("public", "RegionOne", "RegionOne", "http://one.lab:8774/v2.1"),
            new("internal", "RegionOne", "RegionOne", "http://10.0.0.1:8774/v2.1/"),
            new("public", "RegionTwo", null, "http://two.lab:8774/v2.1/p1"),
            new("admin", null, "RegionTwo", "http://two-admin.lab/compute/v2.1"),
        ]),
        new("image", [new("public", "RegionOne", "RegionOne", "http://one.lab:8774/image")]),
    ];

    [Theory]
    [InlineData("public", null, "http://one.lab:8774/")]
    [InlineData("internal", null, "http://10.0.0.1:8774/")]
    [InlineData("public", "RegionTwo", "http://two.lab:8774/")]
    [InlineData("admin", "RegionTwo", "http://two-admin.lab/compute")]
    public void The_compute_endpoint_of_the_interface_and_region_without_v2_1_is_the_base(string face, string? region, string expected) =>
        ServiceCatalog.ComputeBase(Catalog, Public with { Interface = face, RegionName = region }).ShouldBe(new Uri(expected));

    [Fact]
    public void No_endpoint_for_the_interface_and_region_lists_what_there_is()
    {
        var failure = Should.Throw<ClientFailure>(() => ServiceCatalog.ComputeBase(Catalog, Public with { Interface = "internal", RegionName = "RegionTwo" }));

        failure.ExitCode.ShouldBe(ExitCodes.Configuration);
        failure.Message.ShouldContain("interface internal, region RegionTwo");
        failure.Message.ShouldContain("public in RegionOne");
        failure.Message.ShouldContain("OS_REGION_NAME");
    }

    [Fact]
    public void A_catalog_without_compute_says_to_register_it()
    {
        var failure = Should.Throw<ClientFailure>(() => ServiceCatalog.ComputeBase([Catalog[0]], Public));

        failure.ExitCode.ShouldBe(ExitCodes.Configuration);
        failure.Message.ShouldContain("no compute service");
        failure.Message.ShouldContain("VIREO_URL");
    }

    [Theory]
    [InlineData("http://h:8774/v2.1", "http://h:8774/")]
    [InlineData("http://h:8774/v2.1/", "http://h:8774/")]
    [InlineData("http://h:8774/v2.1/abc123", "http://h:8774/")]
    [InlineData("http://h/compute/v2.1", "http://h/compute")]
    [InlineData("http://h:8774/v2.10", "http://h:8774/v2.10")]
    [InlineData("http://h:8774", "http://h:8774/")]
    public void The_vireo_base_drops_v2_1_and_what_follows(string endpoint, string expected) =>
        ServiceCatalog.VireoBase(new Uri(endpoint)).ShouldBe(new Uri(expected));
}

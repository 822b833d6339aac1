using Vireo.Api.Http;

namespace Vireo.Api.Tests;

public sealed class HostAllowListTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:8774")]
    [InlineData("LocalHost.:8774")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:8774")]
    [InlineData("[0:0:0:0:0:0:0:1]:8774")]
    public void Loopback_names_are_accepted_with_or_without_a_port(string host) =>
        HostAllowList.LoopbackOnly.Allows(host).ShouldBeTrue();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("localhost:notaport")]
    [InlineData("localhost:99999")]
    [InlineData("[localhost]")]
    [InlineData("192.0.2.10:8774")]
    public void Anything_else_is_refused(string? host) =>
        HostAllowList.LoopbackOnly.Allows(host).ShouldBeFalse();

    [Theory]
    [InlineData("192.0.2.10:8774")]
    [InlineData("compute.example.com")]
    [InlineData("Compute.Example.COM:443")]
    [InlineData("[2001:db8::5]:8774")]
    public void The_listen_address_and_allowed_hosts_are_accepted(string host) =>
        HostAllowList.For("192.0.2.10", ["compute.example.com", "2001:db8:0::5"]).Allows(host).ShouldBeTrue();

    [Fact]
    public void A_listed_name_does_not_open_its_subdomains() =>
        HostAllowList.For("127.0.0.1", ["example.com"]).Allows("evil.example.com").ShouldBeFalse();

    [Fact]
    public void Names_lists_the_accepted_names_for_messages() =>
        HostAllowList.For("192.0.2.10", ["Compute.example.com"]).Names.ShouldBe(["127.0.0.1", "192.0.2.10", "[::1]", "compute.example.com", "localhost"]);
}

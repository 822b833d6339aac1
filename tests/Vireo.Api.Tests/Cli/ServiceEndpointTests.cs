using Vireo.Cli;
using Vireo.Cli.Client;

namespace Vireo.Api.Tests.Cli;

public sealed class ServiceEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1", 8774, "http://127.0.0.1:8774/")]
    [InlineData("0.0.0.0", 8774, "http://127.0.0.1:8774/")]
    [InlineData("::", 9000, "http://[::1]:9000/")]
    [InlineData("[::]", 9000, "http://[::1]:9000/")]
    [InlineData("192.0.2.10", 8774, "http://192.0.2.10:8774/")]
    [InlineData("2001:db8::5", 8774, "http://[2001:db8::5]:8774/")]
    [InlineData("compute1.example.com", 8774, "http://compute1.example.com:8774/")]
    [InlineData("", 8774, "http://127.0.0.1:8774/")]
    public void The_client_connects_where_the_service_listens_and_over_loopback_for_a_wildcard(string listen, int port, string expected) =>
        ServiceEndpoint.FromListen(listen, port).ToString().ShouldBe(expected);

    [Fact]
    public void A_VIREO_URL_that_is_not_http_is_a_configuration_error()
    {
        var failure = Should.Throw<ClientFailure>(() => ServiceEndpoint.FromUrl("127.0.0.1:8774"));

        failure.ExitCode.ShouldBe(ExitCodes.Configuration);
        failure.Message.ShouldContain("VIREO_URL");
    }

    [Theory]
    [InlineData(400, ExitCodes.Usage)]
    [InlineData(401, ExitCodes.Configuration)]
    [InlineData(404, ExitCodes.NotFound)]
    [InlineData(409, ExitCodes.Conflict)]
    [InlineData(413, ExitCodes.Failed)]
    [InlineData(415, ExitCodes.Usage)]
    [InlineData(500, ExitCodes.Failed)]
    [InlineData(501, ExitCodes.Failed)]
    [InlineData(503, ExitCodes.Unavailable)]
    public void Http_statuses_map_to_the_conventional_exit_codes(int status, int exitCode) =>
        ClientFailure.ExitCodeFor(status).ShouldBe(exitCode);
}

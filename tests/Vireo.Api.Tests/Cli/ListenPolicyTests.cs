using Vireo.Cli.Serve;

namespace Vireo.Api.Tests.Cli;

/// <summary>Where serve may listen without authentication.</summary>
public sealed class ListenPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.53")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_starts_without_a_word(string listen) =>
        ListenPolicy.Decide(listen, authenticated: false, allowUnauthenticatedRemote: false).ShouldBe(ListenDecision.Start);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.10")]
    [InlineData("compute.example.com")]
    public void Anything_else_unauthenticated_is_refused_naming_the_option_the_value_and_the_way_out(string listen)
    {
        var decision = ListenPolicy.Decide(listen, authenticated: false, allowUnauthenticatedRemote: false);

        decision.Refusal.ShouldNotBeNull();
        decision.Refusal.ShouldStartWith($"[DEFAULT] osapi_compute_listen = {listen} is not a loopback address");
        decision.Refusal.ShouldContain("[vireo] allow_unauthenticated_remote_api = true");
        decision.Warning.ShouldBeNull();
    }

    [Fact]
    public void The_explicit_option_starts_with_a_warning()
    {
        var decision = ListenPolicy.Decide("0.0.0.0", authenticated: false, allowUnauthenticatedRemote: true);

        decision.Refusal.ShouldBeNull();
        decision.Warning.ShouldNotBeNull().ShouldContain("no authentication");
    }

    [Fact]
    public void An_authenticated_api_may_listen_anywhere() =>
        ListenPolicy.Decide("0.0.0.0", authenticated: true, allowUnauthenticatedRemote: false).ShouldBe(ListenDecision.Start);
}

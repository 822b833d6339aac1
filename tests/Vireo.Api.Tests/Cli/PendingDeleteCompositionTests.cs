using Vireo.Cli.Serve;
using Vireo.Configuration.Loading;

namespace Vireo.Api.Tests.Cli;

/// <summary>How serve reads <c>[DEFAULT] instance_delete_interval</c> for the pending-delete pass.</summary>
public sealed class PendingDeleteCompositionTests
{
    [Theory]
    [InlineData("", 300L)]
    [InlineData("instance_delete_interval = 2", 2L)]
    [InlineData("instance_delete_interval = 0", 60L)]
    [InlineData("instance_delete_interval = -1", null)]
    public void Instance_delete_interval_is_seconds_zero_the_default_periodic_interval_and_negative_never(string line, long? seconds)
    {
        var options = NovaConfig.Load("/etc/nova/nova.conf", $"[DEFAULT]\nstate_path = /srv/nova\n{line}\n").Options!;

        HostComposition.PendingDeleteInterval(options).ShouldBe(seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public void An_interval_below_minus_one_is_refused_naming_the_option()
    {
        var loaded = NovaConfig.Load("/etc/nova/nova.conf", "[DEFAULT]\nstate_path = /srv/nova\ninstance_delete_interval = -2\n");

        loaded.Succeeded.ShouldBeFalse();
        loaded.Errors.ShouldContain(d => d.ToString().Contains("instance_delete_interval", StringComparison.Ordinal));
    }
}

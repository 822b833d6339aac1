using Vireo.Cli.Serve;
using Vireo.Configuration.Loading;

namespace Vireo.Api.Tests.Cli;

/// <summary>How serve reads <c>[image_cache]</c> for the cache manager.</summary>
public sealed class ImageCacheCompositionTests
{
    [Theory]
    [InlineData("", 2400L)]
    [InlineData("manager_interval = 5", 5L)]
    [InlineData("manager_interval = 0", 60L)]
    [InlineData("manager_interval = -1", null)]
    public void Manager_interval_is_seconds_zero_the_default_periodic_interval_and_negative_never(string line, long? seconds)
    {
        var options = NovaConfig.Load("/etc/nova/nova.conf", $"[DEFAULT]\nstate_path = /srv/nova\n[image_cache]\n{line}\n").Options!;

        HostComposition.ImageCacheInterval(options).ShouldBe(seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public void The_removal_rules_are_the_options()
    {
        var options = NovaConfig.Load("/etc/nova/nova.conf", """
            [DEFAULT]
            state_path = /srv/nova
            [image_cache]
            remove_unused_base_images = false
            remove_unused_original_minimum_age_seconds = 7
            remove_unused_resized_minimum_age_seconds = 3
            """).Options!;

        HostComposition.ImageCacheRules(options).ShouldBe(new(false, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3)));
    }
}

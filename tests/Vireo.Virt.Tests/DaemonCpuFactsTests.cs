using Vireo.Core;

namespace Vireo.Virt.Tests;

/// <summary>The daemon's CPU facts over libvirt's in-process test:///default driver: read through the manager, kept per connection.</summary>
public sealed class DaemonCpuFactsTests
{
    private const string TestUri = "test:///default";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Model_names_are_the_daemons_read_once_per_connection_and_again_after_a_reconnect()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);
        var facts = new DaemonCpuFacts(manager);

        var first = await facts.ModelNamesAsync("x86_64", Cancel);
        var again = await facts.ModelNamesAsync("x86_64", Cancel);

        first.Names.ShouldContain("486");
        first.Resolve("WESTMERE").ShouldBe("Westmere");
        first.Source.ShouldBe($"libvirt at {TestUri}");
        again.ShouldBeSameAs(first, "one connection, one read");
        (await facts.ModelNamesAsync("i686", Cancel)).ShouldNotBeSameAs(first, "each arch is asked for");

        manager.DropConnection();
        var afterReconnect = await facts.ModelNamesAsync("x86_64", Cancel);

        manager.Generation.ShouldBe(2);
        afterReconnect.ShouldNotBeSameAs(first, "a reconnect may reach another libvirtd, so its names are read again");
        afterReconnect.Names.ShouldBe(first.Names);
    }

    [Fact]
    public async Task An_arch_the_daemon_does_not_know_is_refused_with_libvirts_message()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);
        var facts = new DaemonCpuFacts(manager);

        var e = await Should.ThrowAsync<VireoException>(() => facts.ModelNamesAsync("vireo-no-such-arch", Cancel));

        e.Kind.ShouldBe(ErrorKind.Failed);
        e.Message.ShouldContain("vireo-no-such-arch");
    }

    [Fact]
    public async Task A_model_the_daemon_cannot_expand_has_unknown_features_and_the_answer_is_kept()
    {
        // test:///default does not implement virConnectBaselineHypervisorCPU.
        await using var manager = new LibvirtConnectionManager(TestUri);
        var facts = new DaemonCpuFacts(manager);

        (await facts.ModelFeaturesAsync("qemu", "x86_64", "EPYC", Cancel)).ShouldBeNull();
        (await facts.ModelFeaturesAsync("qemu", "x86_64", "EPYC", Cancel)).ShouldBeNull();
        manager.Generation.ShouldBe(1, "a refusal is an answer, not a broken connection");
    }

    [Fact]
    public async Task Facts_are_read_inside_the_bulkhead_and_wait_for_a_slot_like_any_libvirt_call()
    {
        await using var manager = new LibvirtConnectionManager(
            TestUri, limits: LibvirtLimits.Default with { MaxConcurrentCalls = 1, SlotWait = TimeSpan.FromMilliseconds(300) });
        var facts = new DaemonCpuFacts(manager);
        using var release = new ManualResetEventSlim();
        using var inside = new ManualResetEventSlim();
        var busy = manager.RunAsync("hold the only slot", TimeSpan.FromSeconds(30), _ =>
        {
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(20));
        }, Cancel);
        try
        {
            inside.Wait(TimeSpan.FromSeconds(10), Cancel).ShouldBeTrue();

            var e = await Should.ThrowAsync<VireoException>(() => facts.ModelNamesAsync("x86_64", Cancel));

            e.Kind.ShouldBe(ErrorKind.Unavailable);
            e.Message.ShouldContain("CPU models");
        }
        finally
        {
            release.Set();
            await busy;
        }

        (await facts.ModelNamesAsync("x86_64", Cancel)).Names.ShouldContain("486");
    }
}

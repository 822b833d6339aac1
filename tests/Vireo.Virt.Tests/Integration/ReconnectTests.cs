using System.Diagnostics;
using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests.Integration;

/// <summary>The connection dies (daemon restart, keepalive timeout); the next call must reconnect on its own.</summary>
public sealed class ReconnectTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private LibvirtHypervisor Hypervisor => host.Hypervisor;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Connection_is_opened_lazily_and_reused()
    {
        await using var hypervisor = host.NewHypervisor();
        hypervisor.Connections.Generation.ShouldBe(0);

        await hypervisor.EnsureReachableAsync(Cancel);
        await hypervisor.ListOwnedGuestsAsync(Cancel);
        await hypervisor.GetGuestAsync(Guid.NewGuid(), Cancel);

        hypervisor.Connections.Generation.ShouldBe(1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Next_call_reconnects_after_the_connection_was_dropped()
    {
        var spec = host.NewSpec("reconnect-drop");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        var generation = Hypervisor.Connections.Generation;

        Hypervisor.Connections.DropConnection();

        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel))!.PowerState.ShouldBe(PowerState.Shutdown);
        Hypervisor.Connections.Generation.ShouldBe(generation + 1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Next_call_reconnects_after_the_underlying_connection_was_closed_behind_the_managers_back()
    {
        var spec = host.NewSpec("reconnect-close");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        var lease = Hypervisor.Connections.CurrentLease!;

        lease.Connection.Dispose();

        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);
        host.RawState(spec.InstanceId).ShouldBe(DomainState.Running);
        Hypervisor.Connections.Generation.ShouldBe(lease.Generation + 1);
        lease.IsLost.ShouldBeTrue();
    }

    [Fact(Timeout = 180_000)]
    public async Task Watcher_subscribes_again_on_the_new_connection_and_reports_current_states()
    {
        var spec = host.NewSpec("reconnect-watch");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        await using var events = await PowerEventCollector.StartAsync(Hypervisor, Cancel);
        var subscriptions = Hypervisor.SubscriptionCount;

        Hypervisor.Connections.DropConnection();

        await PowerEventCollector.WaitUntilAsync(() => Hypervisor.SubscriptionCount > subscriptions, "the watcher to subscribe again", Cancel);
        // The snapshot after resubscribing: events during the gap are lost, so the current state is reported.
        await events.WaitForAsync(spec.InstanceId, PowerState.Shutdown, Cancel);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);
        await events.WaitForAsync(spec.InstanceId, PowerState.Running, Cancel);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unreachable_libvirt_is_unavailable_with_libvirts_reason_and_what_to_do()
    {
        const string uri = "qemu:///system?socket=/nonexistent/vireo-test/libvirt-sock";
        await using var hypervisor = host.NewHypervisor(host.Settings with { ConnectionUri = uri });
        var clock = Stopwatch.StartNew();

        var e = await Should.ThrowAsync<VireoException>(() => hypervisor.ListOwnedGuestsAsync(Cancel));
        (await Should.ThrowAsync<VireoException>(() => hypervisor.EnsureReachableAsync(Cancel))).Kind.ShouldBe(ErrorKind.Unavailable);

        e.Kind.ShouldBe(ErrorKind.Unavailable);
        e.Message.ShouldStartWith($"libvirt at {uri} is not reachable (");
        e.Message.ShouldContain("/nonexistent/vireo-test/libvirt-sock");
        e.Message.ShouldEndWith("); start it with scripts/setup-host");
        e.InnerException.ShouldBeOfType<LibvirtConnectionException>();
        // Retried with backoff (200 + 400 + 800 ms) before giving up.
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.3));
        hypervisor.Connections.Generation.ShouldBe(0);
    }
}

using Vireo.Core;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests.Integration;

public sealed class PowerEventTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private LibvirtHypervisor Hypervisor => host.Hypervisor;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task Owned_guests_report_start_stop_and_undefine_with_the_state_read_after_the_event()
    {
        var spec = host.NewSpec("events");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await using var events = await PowerEventCollector.StartAsync(Hypervisor, Cancel);
        var before = DateTimeOffset.UtcNow;

        await Hypervisor.DefineGuestAsync(spec, Cancel);
        await events.WaitForAsync(spec.InstanceId, PowerState.Shutdown, Cancel);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);
        var running = await events.WaitForAsync(spec.InstanceId, PowerState.Running, Cancel);
        await Hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel);
        await events.WaitForAsync(spec.InstanceId, PowerState.Shutdown, Cancel);
        await Hypervisor.UndefineGuestAsync(spec.InstanceId, Cancel);

        // Undefined: libvirt can no longer say whose it was; the remembered ownership lets it through as NOSTATE.
        await events.WaitForAsync(spec.InstanceId, PowerState.NoState, Cancel);
        running.ObservedAt.ShouldBeGreaterThanOrEqualTo(before);
    }

    [Fact(Timeout = 180_000)]
    public async Task Foreign_domains_produce_no_events()
    {
        var foreign = host.NewSpec("events-foreign");
        var mine = host.NewSpec("events-mine");
        await using var foreignScope = new GuestScope(host, foreign.InstanceId);
        await using var mineScope = new GuestScope(host, mine.InstanceId);
        await using var events = await PowerEventCollector.StartAsync(Hypervisor, Cancel);

        await Task.Run(() =>
        {
            var xml = Vireo.DomainXml.DomainXmlWriter.Format(
                GuestConfigBuilder.Build(foreign, host.Settings with { InstallationId = "someone-else" }, DateTimeOffset.UtcNow, CpuFactValues.X86));
            using var domain = host.Raw.DefineDomain(xml);
            domain.Start();
            domain.Destroy();
        }, Cancel);
        await Task.Run(() => host.RemoveDomain(foreign.InstanceId), Cancel);
        // A later owned event proves the watcher processed everything before it.
        await Hypervisor.DefineGuestAsync(mine, Cancel);
        await events.WaitForAsync(mine.InstanceId, PowerState.Shutdown, Cancel);

        events.Seen.ShouldNotContain(c => c.InstanceId == foreign.InstanceId);
    }

    [Fact(Timeout = 180_000)]
    public async Task Watching_ends_when_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var enumerator = Hypervisor.WatchPowerStateAsync(cancel.Token).GetAsyncEnumerator(Cancel);
        var next = enumerator.MoveNextAsync().AsTask();

        await cancel.CancelAsync();

        (await next.WaitAsync(LibvirtHostFixture.Deadline, Cancel)).ShouldBeFalse();
        await enumerator.DisposeAsync();
        (await Hypervisor.ListOwnedGuestsAsync(Cancel)).ShouldBeEmpty();
    }
}

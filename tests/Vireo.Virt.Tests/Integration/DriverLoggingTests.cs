using Microsoft.Extensions.Logging;

namespace Vireo.Virt.Tests.Integration;

/// <summary>The driver says what it did to a guest, each step with its stable event id, at debug.</summary>
public sealed class DriverLoggingTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Define_start_destroy_undefine_are_logged_in_order_with_their_event_ids()
    {
        var log = new RecordingLogger<LibvirtHypervisor>();
        await using var hypervisor = new LibvirtHypervisor(host.Settings, logger: log);
        var spec = host.NewSpec("logging");
        await using var scope = new GuestScope(host, spec.InstanceId);

        await hypervisor.DefineGuestAsync(spec, Cancel);
        await hypervisor.StartGuestAsync(spec.InstanceId, Cancel);
        await hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel);
        await hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel); // already off: nothing done, nothing said
        await hypervisor.UndefineGuestAsync(spec.InstanceId, Cancel);

        // The same logger also hears the connection manager (2000-2199: opened, reconnected...); the guest steps are 2200 and up.
        var guestSteps = log.Entries.Where(entry => entry.EventId.Id >= 2200).ToList();
        guestSteps.Select(entry => entry.EventId.Id).ShouldBe([2200, 2201, 2202, 2204, 2206]);
        guestSteps.ShouldAllBe(entry => entry.Level == LogLevel.Debug && entry.Message.Contains(spec.InstanceId.ToString()));
        log.WithId(2200).ShouldHaveSingleItem().Message.ShouldContain("<domain");
    }
}

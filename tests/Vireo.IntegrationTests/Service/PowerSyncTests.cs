using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>Power state follows the guest without any API call: libvirt lifecycle events reach the service.</summary>
public sealed class PowerSyncTests
{
    [Fact]
    public async Task A_guest_that_powers_itself_off_shows_shutoff_and_can_be_started_again()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var id = await ServiceScenario.CreateServerAsync(service, "selfoff");
        await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(4));

        PowerOffFromInside(id);
        await ServiceScenario.WaitForStatusAsync(service, "selfoff", "SHUTOFF", TimeSpan.FromMinutes(2));

        var start = await service.CliAsync("server", "start", "selfoff");
        start.ExitCode.ShouldBe(0, start.ToString());
        await ServiceScenario.WaitForStatusAsync(service, "selfoff", "ACTIVE", TimeSpan.FromMinutes(2));
    }

    /// <summary>The guest OS shuts itself down (through its agent); nothing goes through Vireo.</summary>
    internal static void PowerOffFromInside(Guid id)
    {
        using var connection = Connection.Open("qemu:///system");
        using var domain = connection.LookupDomainByUuid(id);
        try
        {
            domain.QemuAgentCommand("""{"execute":"guest-shutdown","arguments":{"mode":"powerdown"}}""", TimeSpan.FromSeconds(10));
        }
        catch (LibvirtException)
        {
            // guest-shutdown gives no reply when the guest goes down first; the state check decides.
        }
    }
}

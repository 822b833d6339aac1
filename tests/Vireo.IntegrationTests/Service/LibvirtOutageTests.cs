namespace Vireo.IntegrationTests.Service;

/// <summary>libvirtd stopped under a running service: clear refusals (exit 69), then recovery when it is back.</summary>
public sealed class LibvirtOutageTests
{
    [Fact]
    public async Task Stopped_libvirtd_gives_exit_69_and_the_service_recovers_when_it_returns()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var setup = Path.Combine(TestImage.RepositoryRoot, "scripts", "setup-host");
        try
        {
            Processes.Run(setup, ["stop"], TimeSpan.FromMinutes(2));
            var refused = await service.CliAsync("server", "create", "outage", "--image", "vireo-test", "--flavor", "m1.tiny");
            refused.ExitCode.ShouldBe(69, refused.ToString());
            refused.Stderr.Trim().Split('\n').Length.ShouldBe(1);
            refused.Stderr.ShouldContain("libvirt");
            (await service.CliAsync("server", "list")).Json.GetArrayLength().ShouldBe(0);
        }
        finally
        {
            Processes.Run(setup, [], TimeSpan.FromMinutes(3));
        }

        var id = await ServiceScenario.CreateServerAsync(service, "outage");
        (await ServiceScenario.ShowAsync(service, "outage")).Status.ShouldBe("ACTIVE");

        // Events flow again on the new connection: a guest powering itself off is noticed.
        await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(4));
        PowerSyncTests.PowerOffFromInside(id);
        await ServiceScenario.WaitForStatusAsync(service, "outage", "SHUTOFF", TimeSpan.FromMinutes(2));
        var delete = await service.CliAsync("server", "delete", "outage", "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
        ServiceScenario.ShouldLeaveNothing(service, id);
    }
}

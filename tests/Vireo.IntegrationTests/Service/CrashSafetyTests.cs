using Vireo.Core.Ports;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// The service is SIGKILLed right after each step of create and delete (VIREO_FAULT="kill-at=<step>"),
/// restarted, and must leave the instance ACTIVE, ERROR with a reason, or gone, with nothing orphaned.
/// </summary>
public sealed class CrashSafetyTests
{
    public static TheoryData<string> CreateSteps => [.. FaultSteps.Create];

    public static TheoryData<string> DeleteSteps => [.. FaultSteps.Delete];

    [Theory]
    [MemberData(nameof(CreateSteps))]
    public async Task Killed_during_create_ends_active_or_error_with_a_reason_and_no_orphans(string step)
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        await service.StopAsync();

        await service.StartAsync(new Dictionary<string, string> { ["VIREO_FAULT"] = "kill-at=" + step });
        _ = await service.CliAsync("server", "create", "crash", "--image", "vireo-test", "--flavor", "m1.tiny");
        await service.WaitForExitAsync(TimeSpan.FromMinutes(2));

        await service.StartAsync();
        var (exit, status, fault) = await ServiceScenario.ShowAsync(service, "crash");
        exit.ShouldBe(0);
        status.ShouldBeOneOf("ACTIVE", "ERROR");
        var list = await service.CliAsync("server", "list");
        var id = Guid.Parse(list.Json[0].GetProperty("id").GetString()!);
        var domains = service.OwnedDomains();
        if (status == "ERROR")
        {
            fault.ShouldNotBeNullOrWhiteSpace();
            domains.ShouldBeEmpty();
        }
        else
        {
            domains.Select(d => d.Uuid).ShouldBe([id]);
        }
        // No domain, folder or row without its instance, whatever the outcome.
        Directory.GetDirectories(service.InstancesPath).Select(Path.GetFileName).Where(n => n != "_base")
            .ShouldAllBe(n => n == id.ToString("D"));

        var delete = await service.CliAsync("server", "delete", "crash", "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
        ServiceScenario.ShouldLeaveNothing(service, id);
    }

    [Theory]
    [MemberData(nameof(DeleteSteps))]
    public async Task Killed_during_delete_finishes_the_delete_on_restart(string step)
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var id = await ServiceScenario.CreateServerAsync(service, "crash");
        await service.StopAsync();

        await service.StartAsync(new Dictionary<string, string> { ["VIREO_FAULT"] = "kill-at=" + step });
        _ = await service.CliAsync("server", "delete", "crash");
        await service.WaitForExitAsync(TimeSpan.FromMinutes(2));

        await service.StartAsync();
        (await ServiceScenario.ShowAsync(service, "crash")).ExitCode.ShouldBe(3);
        ServiceScenario.ShouldLeaveNothing(service, id);
        (await service.CliAsync("server", "list")).Json.GetArrayLength().ShouldBe(0);
    }
}

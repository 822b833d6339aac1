using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>Steps shared by the service tests, each asserting what a user would see.</summary>
public static class ServiceScenario
{
    public static async Task<string> ImportTestImageAsync(VireoService service, string name = "vireo-test")
    {
        var result = await service.CliAsync("image", "import", name, "--file", TestImage.Qcow2Path, "--disk-format", "qcow2",
            "--property", "hw_qemu_guest_agent=yes");
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Json.GetProperty("id").GetString()!;
    }

    public static async Task<Guid> CreateServerAsync(VireoService service, string name, bool wait = true)
    {
        var result = wait
            ? await service.CliAsync("server", "create", name, "--image", "vireo-test", "--flavor", "m1.tiny", "--wait", "--timeout", "300")
            : await service.CliAsync("server", "create", name, "--image", "vireo-test", "--flavor", "m1.tiny");
        result.ExitCode.ShouldBe(0, result.ToString());
        return Guid.Parse(result.Json.GetProperty("id").GetString()!);
    }

    public static async Task<(int ExitCode, string? Status, string? Fault)> ShowAsync(VireoService service, string name)
    {
        var result = await service.CliAsync("server", "show", name);
        if (result.ExitCode != 0)
        {
            return (result.ExitCode, null, null);
        }
        var json = result.Json;
        var fault = json.TryGetProperty("fault", out var f) && f.ValueKind == System.Text.Json.JsonValueKind.Object
            ? f.GetProperty("message").GetString()
            : null;
        return (0, json.GetProperty("status").GetString(), fault);
    }

    /// <summary>`vireo server stop|start NAME` (exit 0), then waits for SHUTOFF or ACTIVE.</summary>
    public static async Task PowerAsync(VireoService service, string name, bool on)
    {
        var result = await service.CliAsync("server", on ? "start" : "stop", name);
        result.ExitCode.ShouldBe(0, result.ToString());
        await WaitForStatusAsync(service, name, on ? "ACTIVE" : "SHUTOFF", TimeSpan.FromMinutes(3));
    }

    /// <summary>Polls `vireo server show` until the server has <paramref name="status"/>.</summary>
    public static Task WaitForStatusAsync(VireoService service, string name, string status, TimeSpan deadline) =>
        BootTestImageTests.WaitFor(() => ShowAsync(service, name).Result.Status == status, deadline,
            () => $"server '{name}' never reached {status} within {deadline}");

    /// <summary>Polls the guest agent of an instance through libvirt until it answers guest-ping.</summary>
    public static async Task WaitForAgentAsync(Guid instanceId, TimeSpan deadline)
    {
        using var connection = Connection.Open("qemu:///system");
        using var domain = connection.LookupDomainByUuid(instanceId);
        await BootTestImageTests.WaitForAgentAsync(domain, deadline, $"the guest agent of {instanceId} never answered");
    }

    /// <summary>Nothing of the instance is left: no domain, no instance folder (the shared _base may stay).</summary>
    public static void ShouldLeaveNothing(VireoService service, Guid instanceId)
    {
        service.OwnedDomains().Select(d => d.Uuid).ShouldNotContain(instanceId);
        Directory.Exists(Path.Combine(service.InstancesPath, instanceId.ToString("D"))).ShouldBeFalse();
    }
}

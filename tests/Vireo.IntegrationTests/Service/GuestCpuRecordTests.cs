using System.Text.Json;
using System.Xml.Linq;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// The effective guest CPU end to end: `vireo server show` reports what libvirt's live XML of the
/// running guest says (read here on its own, without Vireo's reader), at boot and again after
/// stop/start, which re-creates the QEMU process.
/// </summary>
public sealed class GuestCpuRecordTests
{
    [Fact]
    public async Task Server_show_reports_the_live_guest_cpu_at_boot_and_again_after_stop_and_start()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var name = "gcpu-" + Guid.NewGuid().ToString("N")[..8];

        var id = await ServiceScenario.CreateServerAsync(service, name);

        var atBoot = await GuestCpuAsync(service, name);
        ShouldMatchLiveXml(atBoot, id);
        atBoot.GetProperty("requested_mode").GetString().ShouldBe("host-model");
        atBoot.GetProperty("mode").GetString().ShouldBe("custom", "libvirt expands host-model in the running guest");

        await ServiceScenario.PowerAsync(service, name, on: false);
        var whileStopped = await GuestCpuAsync(service, name);
        whileStopped.GetProperty("model").GetString().ShouldBe(atBoot.GetProperty("model").GetString(), "a stop keeps the record of the last boot");

        await ServiceScenario.PowerAsync(service, name, on: true);

        var afterStart = await GuestCpuAsync(service, name);
        ShouldMatchLiveXml(afterStart, id);
        string.CompareOrdinal(afterStart.GetProperty("recorded_at").GetString(), atBoot.GetProperty("recorded_at").GetString())
            .ShouldBeGreaterThanOrEqualTo(0, "the start read the CPU again");

        var delete = await service.CliAsync("server", "delete", name, "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
    }

    private static async Task<JsonElement> GuestCpuAsync(VireoService service, string name)
    {
        var show = await service.CliAsync("server", "show", name);
        show.ExitCode.ShouldBe(0, show.ToString());
        var cpu = show.Json.GetProperty("vireo_guest_cpu");
        cpu.ValueKind.ShouldBe(JsonValueKind.Object, show.ToString());
        cpu.GetProperty("recorded").GetBoolean().ShouldBeTrue(show.ToString());
        return cpu;
    }

    /// <summary>Model, vendor and every feature with its policy as `virsh dumpxml` of the running guest shows them.</summary>
    private static void ShouldMatchLiveXml(JsonElement reported, Guid instanceId)
    {
        using var connection = Connection.Open("qemu:///system");
        using var domain = connection.LookupDomainByUuid(instanceId);
        var cpu = XElement.Parse(domain.GetXmlDescription()).Element("cpu");
        cpu.ShouldNotBeNull("the running guest has a <cpu> under TCG");

        reported.GetProperty("model").GetString().ShouldBe(cpu.Element("model")?.Value);
        reported.GetProperty("vendor").GetString().ShouldBe(cpu.Element("vendor")?.Value);
        var live = cpu.Elements("feature").Select(f => $"{f.Attribute("name")!.Value}:{f.Attribute("policy")?.Value ?? "require"}").Order().ToList();
        var shown = reported.GetProperty("features").EnumerateArray()
            .Select(f => $"{f.GetProperty("name").GetString()}:{f.GetProperty("policy").GetString()}").Order().ToList();
        live.ShouldNotBeEmpty();
        shown.ShouldBe(live);

        // Under TCG here host-model is EPYC, whose own features include svm (docs/host-notes.md).
        var nested = reported.GetProperty("nested");
        if (cpu.Element("model")?.Value == "EPYC" && !live.Contains("svm:disable", StringComparer.Ordinal))
        {
            nested.GetProperty("exposed").GetBoolean().ShouldBeTrue(nested.ToString());
            nested.GetProperty("feature").GetString().ShouldBe("svm");
        }
    }
}

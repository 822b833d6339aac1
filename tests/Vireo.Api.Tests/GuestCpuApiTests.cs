using System.Net;
using Vireo.Api.Tests.Cli;
using Vireo.Cli;

namespace Vireo.Api.Tests;

/// <summary>GET /v2.1/servers/{id}/vireo-guest-cpu and what `vireo server show` makes of it.</summary>
public sealed class GuestCpuApiTests
{
    [Fact]
    public async Task The_extension_answers_the_cpu_recorded_at_boot_and_nova_server_body_stays_without_it()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.GetAsync($"/v2.1/servers/{id}/vireo-guest-cpu");
        var (_, show, _) = await api.GetAsync($"/v2.1/servers/{id}");

        status.ShouldBe(HttpStatusCode.OK);
        var cpu = body.GetProperty("vireo_guest_cpu");
        cpu.GetProperty("server_id").GetString().ShouldBe(id);
        cpu.GetProperty("recorded").GetBoolean().ShouldBeTrue();
        cpu.GetProperty("requested_mode").GetString().ShouldBe("host-model");
        cpu.GetProperty("mode").GetString().ShouldBe("custom");
        cpu.GetProperty("model").GetString().ShouldBe("EPYC");
        cpu.GetProperty("vendor").GetString().ShouldBe("AMD");
        cpu.GetProperty("features").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}:{f.GetProperty("policy").GetString()}")
            .ShouldBe(["acpi:require", "vme:disable"]);
        cpu.GetProperty("nested").GetProperty("exposed").GetBoolean().ShouldBeTrue();
        cpu.GetProperty("nested").GetProperty("feature").GetString().ShouldBe("svm");
        cpu.GetProperty("recorded_at").GetString().ShouldBe("2026-11-27T10:00:00Z");
        show.GetProperty("server").EnumerateObject().Select(p => p.Name).ShouldAllBe(name => !name.Contains("cpu", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_server_whose_cpu_was_not_read_answers_recorded_false()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Hypervisor.CpuReadable = false;
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.GetAsync($"/v2.1/servers/{id}/vireo-guest-cpu");

        status.ShouldBe(HttpStatusCode.OK);
        var cpu = body.GetProperty("vireo_guest_cpu");
        cpu.GetProperty("server_id").GetString().ShouldBe(id);
        cpu.GetProperty("recorded").GetBoolean().ShouldBeFalse();
        cpu.GetProperty("model").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        cpu.GetProperty("features").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_server_is_novas_404_itemNotFound()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync($"/v2.1/servers/{Guid.NewGuid()}/vireo-guest-cpu");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404).ShouldContain("does not exist");
    }

    [Fact]
    public async Task Server_show_prints_the_guest_cpu_in_text_and_adds_vireo_guest_cpu_to_the_json()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");

        var text = await CliRunner.RunAsync(api, "server", "show", "web1");
        var json = await CliRunner.RunAsync(api, "server", "show", "web1", "--json");

        text.Exit.ShouldBe(ExitCodes.Success, text.Err);
        text.Out.ShouldContain("EPYC (AMD); cpu_mode host-model, running as custom");
        text.Out.ShouldContain("+acpi -vme");
        text.Out.ShouldContain("svm exposed");
        json.Exit.ShouldBe(ExitCodes.Success, json.Err);
        json.Json.GetProperty("name").GetString().ShouldBe("web1");
        json.Json.GetProperty("vireo_guest_cpu").GetProperty("model").GetString().ShouldBe("EPYC");
    }

    [Fact]
    public async Task Server_show_of_a_server_without_a_record_says_not_recorded()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Hypervisor.CpuReadable = false;
        await api.CreateServerAsync("web1");

        var text = await CliRunner.RunAsync(api, "server", "show", "web1");
        var json = await CliRunner.RunAsync(api, "server", "show", "web1", "--json");

        text.Out.ShouldContain("not recorded");
        json.Json.GetProperty("vireo_guest_cpu").GetProperty("recorded").GetBoolean().ShouldBeFalse();
    }
}

using System.Net;

namespace Vireo.Api.Tests;

public sealed class ServerActionsTests
{
    private static async Task<string> StatusOf(ApiHost api, string id) =>
        (await api.GetAsync($"/v2.1/servers/{id}")).Body.GetProperty("server").GetProperty("status").GetString()!;

    [Fact]
    public async Task Stop_start_and_reboot_answer_202_and_change_the_status()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var stop = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-stop": null}""");
        await api.Compute.WhenIdleAsync();
        var stopped = await StatusOf(api, id);
        var start = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-start": null}""");
        await api.Compute.WhenIdleAsync();
        var started = await StatusOf(api, id);
        var reboot = await api.PostAsync($"/v2.1/servers/{id}/action", """{"reboot": {"type": "HARD"}}""");
        await api.Compute.WhenIdleAsync();

        stop.Status.ShouldBe(HttpStatusCode.Accepted);
        stopped.ShouldBe("SHUTOFF");
        start.Status.ShouldBe(HttpStatusCode.Accepted);
        started.ShouldBe("ACTIVE");
        reboot.Status.ShouldBe(HttpStatusCode.Accepted);
        (await StatusOf(api, id)).ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task An_operation_in_flight_shows_its_task_state_and_a_second_one_is_a_409()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-stop": null}""");
        await api.Compute.WhenIdleAsync();
        api.Fakes.Hypervisor.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-start": null}""");
        var (_, body, _) = await api.GetAsync($"/v2.1/servers/{id}");
        var again = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-start": null}""");
        api.Fakes.Hypervisor.StartGate.SetResult();
        await api.Compute.WhenIdleAsync();

        body.GetProperty("server").GetProperty("OS-EXT-STS:task_state").GetString().ShouldBe("powering-on");
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        again.Body.ShouldBeFault("conflictingRequest", 409);
    }

    [Fact]
    public async Task Start_of_an_active_server_is_a_409_conflictingRequest()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-start": null}""");

        status.ShouldBe(HttpStatusCode.Conflict);
        body.ShouldBeFault("conflictingRequest", 409).ShouldContain("start");
    }

    [Theory]
    [InlineData("""{"reboot": {"type": "gentle"}}""", "'reboot.type' must be SOFT or HARD")]
    [InlineData("""{"reboot": {}}""", "'reboot.type' is required")]
    [InlineData("""{"reboot": "SOFT"}""", "'reboot' must be an object")]
    [InlineData("""{"os-migrateLive": null}""", "There is no such action: os-migrateLive")]
    [InlineData("""{"os-stop": null, "os-start": null}""", "exactly one key")]
    [InlineData("""{"os-getConsoleOutput": {"length": "many"}}""", "'os-getConsoleOutput.length' must be an integer")]
    [InlineData("""{"os-getConsoleOutput": {"length": -2}}""", "'os-getConsoleOutput.length' must be at least -1")]
    public async Task Malformed_actions_are_a_400_naming_the_field(string json, string message)
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var (status, body, _) = await api.PostAsync($"/v2.1/servers/{id}/action", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain(message);
    }

    [Fact]
    public async Task Console_output_answers_the_last_lines_of_the_log()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        api.Fakes.ConsoleLogs.Write(Guid.Parse(id), "one\ntwo\nthree\n");

        var (status, body, _) = await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-getConsoleOutput": {"length": 2}}""");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldHaveExactlyKeys("output");
        body.GetProperty("output").GetString().ShouldBe("two\nthree\n");
    }

    [Theory]
    [InlineData("""{"os-getConsoleOutput": {}}""")]
    [InlineData("""{"os-getConsoleOutput": {"length": -1}}""")]
    [InlineData("""{"os-getConsoleOutput": {"length": null}}""")]
    public async Task Console_output_without_a_length_or_with_minus_one_is_the_whole_log(string json)
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        api.Fakes.ConsoleLogs.Write(Guid.Parse(id), "one\ntwo\n");

        var (status, body, _) = await api.PostAsync($"/v2.1/servers/{id}/action", json);

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("output").GetString().ShouldBe("one\ntwo\n");
        api.Fakes.ConsoleLogs.LastRequest.ShouldBe((Guid.Parse(id), (int?)null));
    }

    [Fact]
    public async Task Console_output_of_an_unknown_server_is_a_404()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/servers/ghost/action", """{"os-getConsoleOutput": {"length": 5}}""");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404);
    }
}

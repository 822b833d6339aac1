using System.Text.Json;
using Vireo.Cli;

namespace Vireo.Api.Tests.Cli;

public sealed class ServerCommandsTests
{
    [Fact]
    public async Task Server_create_wait_json_prints_the_active_server()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", "cirros", "--flavor", "m1.tiny", "--wait", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(line => line.StartsWith("server 'web1': ", StringComparison.Ordinal), "standard error carries only the build's progress");
        result.Json.GetProperty("name").GetString().ShouldBe("web1");
        result.Json.GetProperty("status").GetString().ShouldBe("ACTIVE");
        result.Json.GetProperty("OS-EXT-STS:power_state").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Server_create_without_wait_answers_at_once_with_the_accepted_server()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");
        api.Fakes.Hypervisor.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", "cirros", "--flavor", "1", "--json");
        api.Fakes.Hypervisor.StartGate.SetResult();

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Json.GetProperty("status").GetString().ShouldBe("BUILD");
    }

    [Fact]
    public async Task Server_create_wait_on_a_failed_build_exits_1_with_the_fault()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");
        api.Fakes.Hypervisor.DefineFailure = "no KVM on this host";

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", "cirros", "--flavor", "m1.tiny", "--wait");

        result.Exit.ShouldBe(ExitCodes.Failed);
        result.Err.ShouldContain("vireo: server 'web1' failed to build: ");
        result.Err.ShouldContain("no KVM on this host");
        result.Err.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Server_create_wait_gives_up_at_the_timeout()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");
        api.Fakes.Hypervisor.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", "cirros", "--flavor", "m1.tiny", "--wait", "--timeout", "1");
        api.Fakes.Hypervisor.StartGate.SetResult();

        result.Exit.ShouldBe(ExitCodes.Failed);
        result.Err.ShouldContain("is still BUILD (task spawning) after 1 s");
    }

    [Theory]
    [InlineData("nope", "m1.tiny", "image 'nope' does not exist")]
    [InlineData("cirros", "m9.huge", "flavor 'm9.huge' does not exist")]
    public async Task Server_create_with_an_unknown_image_or_flavor_exits_3(string image, string flavor, string message)
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", image, "--flavor", flavor);

        result.Exit.ShouldBe(ExitCodes.NotFound);
        result.Err.ShouldContain(message);
    }

    [Fact]
    public async Task Server_create_of_a_taken_name_makes_a_second_server()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        api.Fakes.Images.Add("cirros");

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", "cirros", "--flavor", "m1.tiny");

        result.Exit.ShouldBe(0, result.Err);
        await api.Compute.WhenIdleAsync();
        api.Fakes.Store.Instances.Count(instance => instance.Name == "web1").ShouldBe(2);
    }

    [Fact]
    public async Task Server_list_shows_the_callers_project_and_all_projects_with_all_projects()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("shared-image");
        var alices = await api.Compute.CreateServerAsync(new Vireo.Core.Compute.CreateServerRequest("alices", image.Id.ToString(), "1"), Callers.Alice, TestContext.Current.CancellationToken);

        var own = await CliRunner.RunAsync(api, "server", "list", "--json");
        var all = await CliRunner.RunAsync(api, "server", "list", "--all-projects", "--json");

        own.Exit.ShouldBe(ExitCodes.Success, own.Err);
        own.Json.GetArrayLength().ShouldBe(0, "no token: the admin of the default project, whose project has no server");
        all.Exit.ShouldBe(ExitCodes.Success, all.Err);
        all.Json.EnumerateArray().Select(server => server.GetProperty("id").GetString()).ShouldBe([alices.Id.ToString("D")]);
        all.Json[0].GetProperty("tenant_id").GetString().ShouldBe("projA");
    }

    [Fact]
    public async Task Server_list_and_show_name_the_image_and_flavor()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");

        var list = await CliRunner.RunAsync(api, "server", "list");
        var listJson = await CliRunner.RunAsync(api, "server", "list", "--json");
        var show = await CliRunner.RunAsync(api, "server", "show", "web1");

        list.Exit.ShouldBe(ExitCodes.Success, list.Err);
        list.Out.ShouldContain("web1");
        list.Out.ShouldContain("ACTIVE");
        list.Out.ShouldContain("m1.tiny");
        list.Out.ShouldContain("RUNNING");
        listJson.Json.GetArrayLength().ShouldBe(1);
        show.Exit.ShouldBe(ExitCodes.Success, show.Err);
        show.Out.ShouldContain("cirros-web1");
        show.Out.ShouldContain("vm_state");
    }

    [Fact]
    public async Task Server_stop_start_and_reboot_hard_are_accepted_and_start_of_an_active_server_exits_4()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");

        var startActive = await CliRunner.RunAsync(api, "server", "start", "web1");
        var stop = await CliRunner.RunAsync(api, "server", "stop", "web1", "--json");
        await api.Compute.WhenIdleAsync();
        var start = await CliRunner.RunAsync(api, "server", "start", "web1");
        await api.Compute.WhenIdleAsync();
        var reboot = await CliRunner.RunAsync(api, "server", "reboot", "web1", "--hard");
        await api.Compute.WhenIdleAsync();

        startActive.Exit.ShouldBe(ExitCodes.Conflict);
        startActive.Err.ShouldStartWith("vireo: ");
        stop.Exit.ShouldBe(ExitCodes.Success, stop.Err);
        stop.Json.GetProperty("action").GetString().ShouldBe("stop");
        stop.Json.GetProperty("accepted").GetBoolean().ShouldBeTrue();
        start.Exit.ShouldBe(ExitCodes.Success, start.Err);
        reboot.Exit.ShouldBe(ExitCodes.Success, reboot.Err);
        reboot.Out.ShouldContain("reboot --hard");
    }

    [Fact]
    public async Task Server_delete_wait_returns_when_the_server_is_gone()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var delete = await CliRunner.RunAsync(api, "server", "delete", "web1", "--wait", "--json");
        var show = await CliRunner.RunAsync(api, "server", "show", id);

        delete.Exit.ShouldBe(ExitCodes.Success, delete.Err);
        delete.Json.GetProperty("id").GetString().ShouldBe(id);
        show.Exit.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Server_delete_of_an_unknown_server_exits_3()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "server", "delete", "ghost");

        result.Exit.ShouldBe(ExitCodes.NotFound);
        result.Err.Trim().ShouldBe("vireo: no server is named 'ghost'; `vireo server list` shows the servers with their names and ids");
    }

    [Fact]
    public async Task Server_console_prints_the_last_lines_raw()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        api.Fakes.ConsoleLogs.Write(Guid.Parse(id), "boot\nlogin:\n");

        var human = await CliRunner.RunAsync(api, "server", "console", "web1", "--lines", "1");
        var json = await CliRunner.RunAsync(api, "server", "console", "web1", "--json");

        human.Exit.ShouldBe(ExitCodes.Success, human.Err);
        human.Out.ShouldBe("login:\n");
        json.Json.GetProperty("output").GetString().ShouldBe("boot\nlogin:\n");
    }

    [Fact]
    public async Task A_service_that_is_not_running_exits_69_with_how_to_start_it()
    {
        var address = CliRunner.ClosedAddress();

        var result = await CliRunner.RunAsync(address, "server", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Unavailable);
        result.Out.ShouldBeEmpty();
        result.Err.Trim().ShouldBe($"vireo: the Vireo service at {address.ToString().TrimEnd('/')} is not reachable (connection refused); start it with `vireo serve`");
    }

    [Fact]
    public async Task Server_create_while_libvirt_is_unreachable_exits_69()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");
        api.Fakes.Hypervisor.Unreachable = "libvirtd is not running";

        var result = await CliRunner.RunAsync(api, "server", "create", "web1", "--image", "cirros", "--flavor", "m1.tiny");

        result.Exit.ShouldBe(ExitCodes.Unavailable);
        // A 5xx message ends with the request id, to find the service's log lines.
        result.Err.Trim().ShouldStartWith("vireo: libvirtd is not running (request req-");
    }
}

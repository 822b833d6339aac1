using System.Text.Json;
using Vireo.Cli;

namespace Vireo.Api.Tests.Cli;

public sealed class FlavorCommandsTests
{
    [Fact]
    public async Task Flavor_list_json_prints_only_the_flavors_on_stdout()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "flavor", "list", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Err.ShouldBeEmpty();
        result.Json.ValueKind.ShouldBe(JsonValueKind.Array);
        result.Json.EnumerateArray().Select(flavor => flavor.GetProperty("name").GetString()).ShouldBe(["m1.tiny", "m1.small"]);
        result.Json[0].GetProperty("ram").GetInt32().ShouldBe(512);
    }

    [Fact]
    public async Task Flavor_list_prints_a_table_for_people()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "flavor", "list");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Out.ShouldContain("m1.small");
        result.Out.ShouldContain("RAM (MiB)");
    }

    [Fact]
    public async Task Flavor_create_prints_the_flavor_and_a_taken_name_exits_4()
    {
        await using var api = await ApiHost.StartAsync();

        var created = await CliRunner.RunAsync(api, "flavor", "create", "m1.big", "--vcpus", "4", "--ram", "8192", "--disk", "80", "--id", "9", "--swap", "512", "--json");
        var again = await CliRunner.RunAsync(api, "flavor", "create", "m1.big", "--vcpus", "4", "--ram", "8192", "--disk", "80");

        created.Exit.ShouldBe(ExitCodes.Success, created.Err);
        created.Json.GetProperty("id").GetString().ShouldBe("9");
        created.Json.GetProperty("vcpus").GetInt32().ShouldBe(4);
        created.Json.GetProperty("swap").GetInt32().ShouldBe(512);
        again.Exit.ShouldBe(ExitCodes.Conflict);
        again.Out.ShouldBeEmpty();
        again.Err.ShouldStartWith("vireo: flavor name 'm1.big' is taken by flavor 'm1.big' (id 9)");
    }

    [Fact]
    public async Task Flavor_create_with_zero_vcpus_is_a_usage_error()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "flavor", "create", "x", "--vcpus", "0", "--ram", "64", "--disk", "1");

        result.Exit.ShouldBe(ExitCodes.Usage);
        result.Err.ShouldContain("--vcpus must be at least 1");
    }

    [Fact]
    public async Task Flavor_show_of_an_unknown_flavor_exits_3_with_the_services_sentence()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "flavor", "show", "m9.huge");

        result.Exit.ShouldBe(ExitCodes.NotFound);
        result.Err.Trim().ShouldBe("vireo: flavor 'm9.huge' does not exist; list the flavors to see their ids and names");
    }

    [Fact]
    public async Task Flavor_delete_removes_an_unused_flavor()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "flavor", "delete", "m1.small");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        (await CliRunner.RunAsync(api, "flavor", "show", "m1.small")).Exit.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Flavor_delete_of_a_flavor_in_use_is_a_conflict_naming_the_servers()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("uses-tiny");

        var result = await CliRunner.RunAsync(api, "flavor", "delete", "m1.tiny");

        result.Exit.ShouldBe(ExitCodes.Conflict);
        result.Err.ShouldContain("uses-tiny");
        (await CliRunner.RunAsync(api, "flavor", "show", "m1.tiny")).Exit.ShouldBe(ExitCodes.Success);
    }
}

using Vireo.Cli;
using Vireo.Cli.Client;

namespace Vireo.Api.Tests.Cli;

/// <summary>The CLI resolves server names itself (the API takes ids only).</summary>
public sealed class ServerReferenceTests
{
    private static readonly string IdA = "0f9c2d43-6a39-4a39-9f55-5d2b7d1b9a01";
    private static readonly string IdB = "7a1e0c11-1111-4b2c-8d3e-000000000002";

    private static (string Id, string Name) Server(string id, string name) => (id, name);

    [Fact]
    public void A_unique_name_resolves_to_its_id() =>
        ServerReference.Resolve("web1", [Server(IdA, "web1"), Server(IdB, "web2")]).ShouldBe(IdA);

    [Fact]
    public void An_id_is_used_as_it_is_without_a_match() =>
        ServerReference.Resolve(IdB, []).ShouldBe(IdB);

    [Fact]
    public void Names_match_exactly_and_an_unknown_name_is_not_found()
    {
        var failure = Should.Throw<ClientFailure>(() => ServerReference.Resolve("WEB1", [Server(IdA, "web1")]));

        failure.ExitCode.ShouldBe(ExitCodes.NotFound);
        failure.Message.ShouldBe("no server is named 'WEB1'; `vireo server list` shows the servers with their names and ids");
    }

    [Fact]
    public void An_ambiguous_name_is_refused_listing_the_ids()
    {
        var failure = Should.Throw<ClientFailure>(() => ServerReference.Resolve("web", [Server(IdB, "web"), Server(IdA, "web"), Server("3", "other")]));

        failure.ExitCode.ShouldBe(ExitCodes.Conflict);
        failure.Message.ShouldBe($"2 servers are named 'web' ({IdA}, {IdB}); name the one you mean by its id");
    }

    [Fact]
    public async Task The_cli_refuses_an_unknown_name_with_exit_3_and_sends_no_action()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var stop = await CliRunner.RunAsync(api, "server", "stop", "web2");
        await api.Compute.WhenIdleAsync();

        stop.Exit.ShouldBe(ExitCodes.NotFound, stop.Err);
        stop.Err.Trim().ShouldBe("vireo: no server is named 'web2'; `vireo server list` shows the servers with their names and ids");
        (await api.Compute.ShowServerAsync(id, Callers.Admin, TestContext.Current.CancellationToken)).VmState.ShouldBe(Vireo.Core.VmState.Active);
    }

    [Fact]
    public async Task The_cli_refuses_a_name_two_servers_carry_with_exit_4_listing_the_ids_and_stops_neither()
    {
        await using var api = await ApiHost.StartAsync();
        var first = await api.CreateServerAsync("twin");
        var second = await api.CreateServerAsync("other");

        // Names are unique when Vireo makes them; a store written by other means may still hold two.
        var renamed = await api.Compute.ShowServerAsync(second, Callers.Admin, TestContext.Current.CancellationToken);
        api.Fakes.Instances.Put(renamed with { Name = "twin" });

        var stop = await CliRunner.RunAsync(api, "server", "stop", "twin");
        await api.Compute.WhenIdleAsync();

        stop.Exit.ShouldBe(ExitCodes.Conflict, stop.Err);
        stop.Err.Trim().ShouldBe($"vireo: 2 servers are named 'twin' ({string.Join(", ", new[] { first, second }.Order(StringComparer.Ordinal))}); name the one you mean by its id");
        (await api.Compute.ListServersAsync(new Vireo.Core.Compute.ServerListQuery(), Callers.Admin, TestContext.Current.CancellationToken)).ShouldAllBe(server => server.VmState == Vireo.Core.VmState.Active);
    }

    [Fact]
    public async Task Every_command_taking_a_server_works_with_its_name()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("named");

        var show = await CliRunner.RunAsync(api, "server", "show", "named", "--json");
        var stop = await CliRunner.RunAsync(api, "server", "stop", "named");
        await api.Compute.WhenIdleAsync();
        var start = await CliRunner.RunAsync(api, "server", "start", "named");
        await api.Compute.WhenIdleAsync();
        var reboot = await CliRunner.RunAsync(api, "server", "reboot", "named");
        await api.Compute.WhenIdleAsync();
        var console = await CliRunner.RunAsync(api, "server", "console", "named");
        var delete = await CliRunner.RunAsync(api, "server", "delete", "named", "--wait");

        show.Exit.ShouldBe(ExitCodes.Success, show.Err);
        show.Json.GetProperty("id").GetString().ShouldBe(id);
        stop.Exit.ShouldBe(ExitCodes.Success, stop.Err);
        start.Exit.ShouldBe(ExitCodes.Success, start.Err);
        reboot.Exit.ShouldBe(ExitCodes.Success, reboot.Err);
        console.Exit.ShouldBe(ExitCodes.Success, console.Err);
        delete.Exit.ShouldBe(ExitCodes.Success, delete.Err);
        (await api.Compute.ListServersAsync(new Vireo.Core.Compute.ServerListQuery(), Callers.Admin, TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }
}

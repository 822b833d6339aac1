using System.Net;
using System.Text.Json;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// Start-up reconciliation proves before it destroys: a service started on an empty database
/// quarantines the guests and directories it cannot tie to a row, and writes wait until it has run.
/// </summary>
public sealed class ReconcileQuarantineTests
{
    [Fact]
    public async Task A_service_on_an_empty_database_destroys_nothing_and_purges_only_the_orphan_named()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var first = await ServiceScenario.CreateServerAsync(service, "orphan-a-" + Guid.NewGuid().ToString("N")[..6]);
        var second = await ServiceScenario.CreateServerAsync(service, "orphan-b-" + Guid.NewGuid().ToString("N")[..6]);
        await service.StopAsync();

        var database = Path.Combine(service.Root, "state", "vireo.sqlite");
        foreach (var file in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
        {
            File.Move(file, file + ".aside");
        }

        await service.StartAsync();

        var domains = service.OwnedDomains();
        domains.Select(domain => domain.Uuid).ShouldBe([first, second], ignoreOrder: true);
        domains.ShouldAllBe(domain => domain.State == DomainState.Running, "quarantined guests are not even stopped");
        foreach (var id in new[] { first, second })
        {
            File.Exists(Path.Combine(service.InstancesPath, id.ToString("D"), "disk")).ShouldBeTrue($"the disk of {id} is kept");
            using var owner = JsonDocument.Parse(File.ReadAllText(Path.Combine(service.InstancesPath, id.ToString("D"), "vireo-owner.json")));
            owner.RootElement.GetProperty("installation_id").GetString().ShouldBe(service.InstallationId);
            owner.RootElement.GetProperty("instance_id").GetGuid().ShouldBe(id);
            service.Log.ShouldContain($"instance {id} has");
            service.Log.ShouldContain($"vireo host orphans --purge {id}");
        }

        (await service.CliAsync("server", "list")).Json.GetArrayLength().ShouldBe(0, "the database is empty");
        var listed = await service.CliAsync("host", "orphans");
        listed.ExitCode.ShouldBe(0, listed.ToString());
        var orphans = listed.Json.EnumerateArray().ToDictionary(orphan => Guid.Parse(orphan.GetProperty("id").GetString()!));
        orphans.Keys.ShouldBe([first, second], ignoreOrder: true);
        orphans[first].GetProperty("kind").GetString().ShouldBe("both");
        orphans[first].GetProperty("domain_state").GetString().ShouldBe("RUNNING");
        orphans[first].GetProperty("path").GetString().ShouldBe(Path.Combine(service.InstancesPath, first.ToString("D")));
        orphans[first].GetProperty("size_bytes").GetInt64().ShouldBeGreaterThan(0);

        var purged = await service.CliAsync("host", "orphans", "--purge", first.ToString());
        purged.ExitCode.ShouldBe(0, purged.ToString());
        purged.Json.GetProperty("id").GetString().ShouldBe(first.ToString());

        ServiceScenario.ShouldLeaveNothing(service, first);
        service.OwnedDomains().ShouldHaveSingleItem().ShouldBe((second, DomainState.Running));
        File.Exists(Path.Combine(service.InstancesPath, second.ToString("D"), "disk")).ShouldBeTrue("the other orphan is untouched");
        var again = await service.CliAsync("host", "orphans", "--purge", first.ToString());
        again.ExitCode.ShouldBe(3, again.ToString());
        var left = await service.CliAsync("host", "orphans");
        left.Json.EnumerateArray().Select(orphan => orphan.GetProperty("id").GetString()).ShouldBe([second.ToString()]);
    }

    [Fact]
    public async Task A_create_during_start_up_reconciliation_gets_503_and_a_later_one_is_not_undone()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var running = await ServiceScenario.CreateServerAsync(service, "kept-" + Guid.NewGuid().ToString("N")[..6]);
        await service.StopAsync();
        var before = service.Log.Length;
        string SinceRestart() => service.Log[before..];

        // The delay holds reconciliation before it reads its facts: a create accepted in this
        // window would be a building row that reconciliation takes as interrupted.
        await service.StartAsync(new Dictionary<string, string> { ["VIREO_FAULT"] = "reconcile-delay=45" }, waitForReconciliation: false);
        var name = "early-" + Guid.NewGuid().ToString("N")[..6];

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        using var refused = await http.PostAsync(
            new Uri("v2.1/servers", UriKind.Relative),
            new StringContent($$$"""{"server": {"name": "{{{name}}}", "imageRef": "vireo-test", "flavorRef": "1"}}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var cliCreate = await service.CliAsync("server", "create", name, "--image", "vireo-test", "--flavor", "m1.tiny");
        var readDuringWindow = await service.CliAsync("server", "list");
        var stillInWindow = !SinceRestart().Contains("start-up reconciliation:", StringComparison.Ordinal);

        stillInWindow.ShouldBeTrue($"the requests above must run while reconciliation is held; the machine was too slow: {SinceRestart()}");
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        using (var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))
        {
            body.RootElement.GetProperty("serviceUnavailable").GetProperty("code").GetInt32().ShouldBe(503);
        }

        cliCreate.ExitCode.ShouldBe(69, cliCreate.ToString());
        cliCreate.Stderr.ShouldContain("start-up reconciliation");
        readDuringWindow.ExitCode.ShouldBe(0, readDuringWindow.ToString());
        readDuringWindow.Json.EnumerateArray().Select(server => server.GetProperty("name").GetString()).ShouldNotContain(name);

        await BootTestImageTests.WaitFor(() => SinceRestart().Contains("accepting writes", StringComparison.Ordinal), TimeSpan.FromMinutes(3),
            () => $"reconciliation never finished: {SinceRestart()}");
        var created = await ServiceScenario.CreateServerAsync(service, name);
        var (exit, status, fault) = await ServiceScenario.ShowAsync(service, name);
        exit.ShouldBe(0);
        status.ShouldBe("ACTIVE", fault);
        (await ServiceScenario.ShowAsync(service, running.ToString())).Status.ShouldBe("ACTIVE", "the server from before the restart was kept");
        service.OwnedDomains().Select(domain => domain.Uuid).ShouldBe([running, created], ignoreOrder: true);
    }
}

using System.Net;
using System.Text.Json;
using Vireo.Api.Tests.Cli;
using Vireo.Cli;
using Vireo.Core.Compute;

namespace Vireo.Api.Tests;

/// <summary><c>/v2.1/vireo-orphans</c>, <c>vireo host orphans</c>, and writes held back until start-up reconciliation has run.</summary>
public sealed class OrphansApiTests
{
    private static async Task<(ApiHost Api, Guid Orphan, Guid Other, Guid Kept)> TwoOrphansAndAServerAsync()
    {
        var api = await ApiHost.StartAsync();
        var orphan = Guid.Parse(await api.CreateServerAsync("lost1"));
        var other = Guid.Parse(await api.CreateServerAsync("lost2"));
        var kept = Guid.Parse(await api.CreateServerAsync("kept"));
        api.Fakes.Instances.Forget(orphan);
        api.Fakes.Instances.Forget(other);
        return (api, orphan, other, kept);
    }

    [Fact]
    public async Task Orphans_list_names_each_owned_guest_and_directory_without_a_row()
    {
        var (api, orphan, other, _) = await TwoOrphansAndAServerAsync();
        await using var _api = api;

        var (status, body, _) = await api.GetAsync("/v2.1/vireo-orphans");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var listed = body.GetProperty("vireo_orphans").EnumerateArray().ToList();
        listed.Select(item => Guid.Parse(item.GetProperty("id").GetString()!)).ShouldBe(new[] { orphan, other }.Order());
        var first = listed.Single(item => item.GetProperty("id").GetString() == orphan.ToString());
        first.GetProperty("kind").GetString().ShouldBe("both");
        first.GetProperty("domain_state").GetString().ShouldBe("RUNNING");
        first.GetProperty("path").GetString().ShouldBe($"/var/lib/vireo/instances/{orphan}");
        first.GetProperty("size_bytes").GetInt64().ShouldBe(FakeDisks.DirectorySizeBytes);
    }

    [Fact]
    public async Task Purge_removes_exactly_one_orphan_and_refuses_a_server_or_an_unknown_id()
    {
        var (api, orphan, other, kept) = await TwoOrphansAndAServerAsync();
        await using var _api = api;

        (await api.SendAsync(HttpMethod.Delete, $"/v2.1/vireo-orphans/{orphan}")).Status.ShouldBe(HttpStatusCode.NoContent);
        var again = await api.SendAsync(HttpMethod.Delete, $"/v2.1/vireo-orphans/{orphan}");
        var server = await api.SendAsync(HttpMethod.Delete, $"/v2.1/vireo-orphans/{kept}");

        again.Status.ShouldBe(HttpStatusCode.NotFound);
        again.Body.GetProperty("itemNotFound").GetProperty("message").GetString()!.ShouldContain("vireo host orphans");
        server.Status.ShouldBe(HttpStatusCode.Conflict);
        server.Body.GetProperty("conflictingRequest").GetProperty("message").GetString()!.ShouldContain("has a database row");
        api.Fakes.Disks.Directories.ShouldBe([other, kept], ignoreOrder: true);
    }

    [Fact]
    public async Task Host_orphans_json_lists_them_and_purge_removes_the_one_named()
    {
        var (api, orphan, other, kept) = await TwoOrphansAndAServerAsync();
        await using var _api = api;

        var list = await CliRunner.RunAsync(api, "host", "orphans", "--json");
        var purge = await CliRunner.RunAsync(api, "host", "orphans", "--purge", other.ToString(), "--json");
        var server = await CliRunner.RunAsync(api, "host", "orphans", "--purge", kept.ToString());
        var unknown = await CliRunner.RunAsync(api, "host", "orphans", "--purge", Guid.NewGuid().ToString());
        var after = await CliRunner.RunAsync(api, "host", "orphans");

        list.Exit.ShouldBe(ExitCodes.Success, list.Err);
        list.Json.EnumerateArray().Select(item => item.GetProperty("id").GetString()).ShouldBe(new[] { orphan, other }.Order().Select(id => id.ToString()));
        purge.Exit.ShouldBe(ExitCodes.Success, purge.Err);
        purge.Json.GetProperty("id").GetString().ShouldBe(other.ToString());
        purge.Json.GetProperty("kind").GetString().ShouldBe("both");
        server.Exit.ShouldBe(ExitCodes.Conflict);
        server.Err.ShouldStartWith("vireo: instance");
        unknown.Exit.ShouldBe(ExitCodes.NotFound);
        after.Exit.ShouldBe(ExitCodes.Success, after.Err);
        after.Out.ShouldContain(orphan.ToString());
        after.Out.ShouldNotContain(other.ToString());
        api.Fakes.Disks.Directories.ShouldBe([orphan, kept], ignoreOrder: true);
    }

    [Fact]
    public async Task Rbd_images_and_logical_volumes_without_a_row_are_listed_with_name_and_size_and_purged_by_id()
    {
        await using var api = await ApiHost.StartAsync();
        var image = Guid.NewGuid();
        var volume = Guid.NewGuid();
        api.Fakes.Disks.PutOutsideDisk(image);
        api.Fakes.Disks.PutOutsideDisk(volume, Vireo.Core.Ports.OutsideDiskKind.LogicalVolume);

        var (status, body, _) = await api.GetAsync("/v2.1/vireo-orphans");
        var table = await CliRunner.RunAsync(api, "host", "orphans");
        var purge = await CliRunner.RunAsync(api, "host", "orphans", "--purge", image.ToString(), "--json");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var listed = body.GetProperty("vireo_orphans").EnumerateArray().ToDictionary(item => Guid.Parse(item.GetProperty("id").GetString()!));
        listed[image].GetProperty("kind").GetString().ShouldBe("rbd_image");
        listed[image].GetProperty("size_bytes").GetInt64().ShouldBe(FakeDisks.OutsideDiskSizeBytes);
        var disk = listed[image].GetProperty("disks").EnumerateArray().ShouldHaveSingleItem();
        disk.GetProperty("kind").GetString().ShouldBe("rbd_image");
        disk.GetProperty("name").GetString().ShouldBe($"vms/{image}_disk");
        listed[volume].GetProperty("kind").GetString().ShouldBe("logical_volume");
        listed[volume].GetProperty("disks")[0].GetProperty("name").GetString().ShouldBe($"nova-vg/{volume}_disk");
        table.Exit.ShouldBe(ExitCodes.Success, table.Err);
        table.Out.ShouldContain("rbd image");
        table.Out.ShouldContain("logical volume");
        table.Out.ShouldContain($"nova-vg/{volume}_disk");
        purge.Exit.ShouldBe(ExitCodes.Success, purge.Err);
        purge.Json.GetProperty("disks")[0].GetProperty("name").GetString().ShouldBe($"vms/{image}_disk");
        api.Fakes.Disks.OutsideDisks.ShouldHaveSingleItem().InstanceId.ShouldBe(volume);
    }

    [Fact]
    public async Task Before_reconciliation_writes_get_503_with_retry_after_and_reads_are_served()
    {
        var readiness = new ServiceReadiness();
        await using var api = await ApiHost.StartAsync(readiness: readiness);
        var image = api.Fakes.Images.Add("cirros");
        var create = $$$"""{"server": {"name": "early", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""";

        var refused = await api.PostAsync("/v2.1/servers", create);
        var imageDelete = await api.SendAsync(HttpMethod.Delete, $"/image/v2/images/{image.Id}");
        var list = await api.GetAsync("/v2.1/servers");
        readiness.MarkReady();
        var accepted = await api.PostAsync("/v2.1/servers", create);

        refused.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(2));
        refused.Body.GetProperty("serviceUnavailable").GetProperty("code").GetInt32().ShouldBe(503);
        refused.Body.GetProperty("serviceUnavailable").GetProperty("message").GetString()!.ShouldContain("start-up reconciliation");
        refused.Response.Headers.Contains("x-openstack-request-id").ShouldBeTrue();
        imageDelete.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        list.Status.ShouldBe(HttpStatusCode.OK);
        list.Body.GetProperty("servers").GetArrayLength().ShouldBe(0, "nothing was written while refused");
        accepted.Status.ShouldBe(HttpStatusCode.Accepted, accepted.Body.ToString());
        await api.Compute.WhenIdleAsync();
    }
}

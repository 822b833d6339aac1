using System.Net;
using Vireo.Cli;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests;

/// <summary>The createImage server action (202, Location, the image saving then active) and `vireo server image create` over it.</summary>
public sealed class CreateImageApiTests
{
    private const string Copy = nameof(IHypervisor.CopyRunningRootDiskAsync);

    [Fact]
    public async Task CreateImage_answers_202_without_body_and_a_Location_naming_the_image_which_becomes_active_as_a_snapshot()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        var reached = api.Fakes.Hypervisor.Hold(Copy);

        var (status, _, response) = await api.PostAsync($"/v2.1/servers/{id}/action", """{"createImage": {"name": "web1-snap", "metadata": {"purpose": "backup"}}}""");
        await reached;
        var location = response.Headers.Location?.ToString();
        var imageId = location!.Split('/')[^1];
        var saving = await api.GetAsync($"/image/v2/images/{imageId}");
        var server = await api.GetAsync($"/v2.1/servers/{id}");
        api.Fakes.Hypervisor.Release(Copy);
        await api.Compute.WhenIdleAsync();
        var active = await api.GetAsync($"/image/v2/images/{imageId}");

        status.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty("below microversion 2.45 createImage has no body");
        location.ShouldBe($"{api.BaseAddress.ToString().TrimEnd('/')}/image/v2/images/{imageId}");
        saving.Body.GetProperty("status").GetString().ShouldBe("saving", "the image exists when the answer leaves");
        server.Body.GetProperty("server").GetProperty("OS-EXT-STS:task_state").GetString().ShouldBe("image_pending_upload");
        active.Body.GetProperty("status").GetString().ShouldBe("active");
        active.Body.GetProperty("image_type").GetString().ShouldBe("snapshot");
        active.Body.GetProperty("instance_uuid").GetString().ShouldBe(id);
        active.Body.GetProperty("purpose").GetString().ShouldBe("backup");
    }

    [Theory]
    [InlineData("""{"createImage": {}}""")]
    [InlineData("""{"createImage": {"name": "x"}}""")]
    [InlineData("""{"createImage": null}""")]
    public async Task An_unknown_server_is_404_whatever_the_createImage_body(string body)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, json, _) = await api.PostAsync($"/v2.1/servers/{Guid.NewGuid()}/action", body);

        status.ShouldBe(HttpStatusCode.NotFound);
        json.ShouldBeFault("itemNotFound", 404);
    }

    [Theory]
    [InlineData("""{"createImage": {}}""", "needs a 'name'")]
    [InlineData("""{"createImage": {"name": "  "}}""", "must not begin or end with white space")]
    [InlineData("""{"createImage": {"name": 5}}""", "'createImage.name' must be a string")]
    [InlineData("""{"createImage": "snap"}""", "'createImage' must be an object")]
    [InlineData("""{"createImage": {"name": "x", "metadata": {"k": 1}}}""", "'createImage.metadata.k' must be a string")]
    [InlineData("""{"createImage": {"name": "x", "metadata": []}}""", "'createImage.metadata' must be an object of strings")]
    public async Task A_missing_or_malformed_name_or_metadata_is_400_and_registers_no_image(string body, string expected)
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        var before = api.Fakes.Store.Images.Count;

        var (status, json, _) = await api.PostAsync($"/v2.1/servers/{id}/action", body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        json.ShouldBeFault("badRequest", 400).ShouldContain(expected);
        api.Fakes.Store.Images.Count.ShouldBe(before);
    }

    [Fact]
    public async Task A_busy_server_is_409_and_a_backend_that_cannot_copy_it_running_is_409_with_the_reason()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");
        var reached = api.Fakes.Hypervisor.Hold(nameof(IHypervisor.StopGuestAsync));
        await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-stop": null}""");
        await reached;

        var busy = await api.PostAsync($"/v2.1/servers/{id}/action", """{"createImage": {"name": "x"}}""");
        api.Fakes.Hypervisor.Release(nameof(IHypervisor.StopGuestAsync));
        await api.Compute.WhenIdleAsync();
        await api.PostAsync($"/v2.1/servers/{id}/action", """{"os-start": null}""");
        await api.Compute.WhenIdleAsync();
        api.Fakes.Disks.RunningRootDiskCopy = new RunningDiskCopy.Refused("images_type = lvm copies the root volume only while the guest is stopped");
        var refused = await api.PostAsync($"/v2.1/servers/{id}/action", """{"createImage": {"name": "x"}}""");

        busy.Status.ShouldBe(HttpStatusCode.Conflict);
        busy.Body.ShouldBeFault("conflictingRequest", 409).ShouldContain("powering-off");
        refused.Status.ShouldBe(HttpStatusCode.Conflict);
        refused.Body.ShouldBeFault("conflictingRequest", 409).ShouldContain("images_type = lvm");
    }

    [Fact]
    public async Task Server_image_create_waits_for_the_active_image_and_prints_it()
    {
        await using var api = await ApiHost.StartAsync();
        var id = await api.CreateServerAsync("web1");

        var result = await Cli.CliRunner.RunAsync(api, "server", "image", "create", "web1", "--name", "web1-snap", "--property", "purpose=backup", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Json.GetProperty("status").GetString().ShouldBe("active");
        result.Json.GetProperty("name").GetString().ShouldBe("web1-snap");
        result.Json.GetProperty("instance_uuid").GetString().ShouldBe(id);
        result.Json.GetProperty("purpose").GetString().ShouldBe("backup");
    }

    [Fact]
    public async Task Server_image_create_no_wait_returns_while_the_image_is_saving()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        var reached = api.Fakes.Hypervisor.Hold(Copy);

        var result = await Cli.CliRunner.RunAsync(api, "server", "image", "create", "web1", "--name", "later", "--no-wait", "--json");
        await reached;
        api.Fakes.Hypervisor.Release(Copy);
        await api.Compute.WhenIdleAsync();

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Json.GetProperty("status").GetString().ShouldBe("saving");
    }

    [Fact]
    public async Task Server_image_create_of_a_failing_copy_exits_1_saying_the_image_was_removed()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        api.Fakes.Hypervisor.Failures.FailOn(Copy);

        var result = await Cli.CliRunner.RunAsync(api, "server", "image", "create", "web1", "--name", "doomed");

        result.Exit.ShouldBe(ExitCodes.Failed);
        result.Err.ShouldContain("the snapshot failed and image 'doomed'");
        result.Err.ShouldContain("was removed; the server is ACTIVE (task none)");
        result.Err.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Server_image_create_refused_by_the_backend_exits_4_with_the_reason()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreateServerAsync("web1");
        api.Fakes.Disks.RunningRootDiskCopy = new RunningDiskCopy.Refused("images_type = lvm copies the root volume only while the guest is stopped");

        var result = await Cli.CliRunner.RunAsync(api, "server", "image", "create", "web1", "--name", "x");

        result.Exit.ShouldBe(ExitCodes.Conflict);
        result.Err.ShouldContain("cannot be snapshotted live: images_type = lvm");
    }
}

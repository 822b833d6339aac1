using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>createImage over the shared fakes: decisions, task states, and the undo of every failure.</summary>
public sealed class SnapshotTests
{
    private static readonly Dictionary<string, string> SourceProperties = new(StringComparer.Ordinal)
    {
        ["hw_qemu_guest_agent"] = "yes",
        ["os_distro"] = "cirros",
        ["image_type"] = "image",
    };

    private readonly FakeHost _host = new();
    private readonly ComputeService _service;

    public SnapshotTests()
    {
        _host.Store.Put(FakeHost.Cirros with { Properties = SourceProperties });
        _service = _host.Service();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Copy => nameof(IHypervisor.CopyRunningRootDiskAsync);

    [Fact]
    public async Task A_running_server_is_copied_live_into_an_active_image_with_the_source_properties_and_the_three_snapshot_keys()
    {
        var server = await _host.CreateActiveAsync();

        var operation = await _service.BeginCreateImageAsync(server.Id.ToString(), "web1-snap", new Dictionary<string, string> { ["purpose"] = "backup" }, Callers.Admin, Ct);
        operation.Accepted.TaskState.ShouldBe(TaskState.ImageSnapshotPending);
        operation.Image.Status.ShouldBe(ImageStatus.Saving, "the image exists, saving, when the request is answered");
        var done = await operation.Completion;

        var image = _host.Store.Images.Single(i => i.Id == operation.Image.Id);
        image.Status.ShouldBe(ImageStatus.Active);
        image.DiskFormat.ShouldBe(DiskFormat.Qcow2);
        image.Properties.ShouldBe(new Dictionary<string, string>
        {
            ["hw_qemu_guest_agent"] = "yes",
            ["os_distro"] = "cirros",
            ["purpose"] = "backup",
            ["image_type"] = "snapshot",
            ["instance_uuid"] = server.Id.ToString("D"),
            ["base_image_ref"] = FakeHost.Cirros.Id.ToString("D"),
        }, ignoreOrder: true);
        (await _host.Images.OpenContentAsync(image.Id, Ct)).ReadAllText().ShouldBe($"root disk of {server.Id:D} (live qcow2)");
        done.TaskState.ShouldBeNull();
        done.VmState.ShouldBe(VmState.Active);
        _host.Hypervisor.PowerOf(server.Id).ShouldBe(PowerState.Running);
        _host.Disks.SnapshotFiles.Paths.ShouldBeEmpty("the temporary file is removed");
        (await _service.ListServerActionsAsync(server.Id.ToString(), Callers.Admin, Ct)).Select(a => (a.Action, a.Result)).ShouldBe([("create", ActionResult.Success), ("createImage", ActionResult.Success)]);
    }

    [Fact]
    public async Task A_stopped_server_is_copied_from_its_stored_disk_and_stays_stopped()
    {
        var server = await _host.CreateActiveAsync();
        await _service.StopServerAsync(server.Id.ToString(), Callers.Admin, Ct);

        var image = await _service.CreateImageAsync(server.Id.ToString(), "cold", null, Callers.Admin, Ct);

        image.Status.ShouldBe(ImageStatus.Active);
        (await _host.Images.OpenContentAsync(image.Id, Ct)).ReadAllText().ShouldBe($"root disk of {server.Id:D} (stopped qcow2)");
        _host.Hypervisor.Calls.ShouldNotContain(call => call.StartsWith(Copy, StringComparison.Ordinal));
        var row = _host.Row(server.Id);
        (row.VmState, row.TaskState, row.PowerState).ShouldBe((VmState.Stopped, (TaskState?)null, PowerState.Shutdown));
    }

    [Fact]
    public async Task A_running_server_on_a_backend_that_snapshots_its_disk_itself_is_copied_by_the_storage_and_keeps_running()
    {
        _host.Disks.RunningRootDiskCopy = RunningDiskCopy.ByStorage;
        var server = await _host.CreateActiveAsync();

        var image = await _service.CreateImageAsync(server.Id.ToString(), "direct", null, Callers.Admin, Ct);

        image.Status.ShouldBe(ImageStatus.Active);
        (await _host.Images.OpenContentAsync(image.Id, Ct)).ReadAllText().ShouldBe($"root disk of {server.Id:D} (stopped qcow2)");
        _host.Hypervisor.Calls.ShouldNotContain(call => call.StartsWith(Copy, StringComparison.Ordinal));
        _host.Hypervisor.PowerOf(server.Id).ShouldBe(PowerState.Running);
        var row = _host.Row(server.Id);
        (row.VmState, row.TaskState).ShouldBe((VmState.Active, (TaskState?)null));
    }

    [Fact]
    public async Task The_task_walks_pending_snapshot_pending_upload_uploading_then_none()
    {
        var server = await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(Copy);

        var operation = await _service.BeginCreateImageAsync(server.Id.ToString(), "walk", null, Callers.Admin, Ct);
        await reached;
        _host.Row(server.Id).TaskState.ShouldBe(TaskState.ImagePendingUpload);
        _host.Store.Images.Single(i => i.Id == operation.Image.Id).Status.ShouldBe(ImageStatus.Saving);
        var second = await Should.ThrowAsync<VireoException>(() => _service.BeginCreateImageAsync(server.Id.ToString(), "again", null, Callers.Admin, Ct));
        second.Kind.ShouldBe(ErrorKind.Conflict);
        second.Message.ShouldContain("image_pending_upload");
        _host.Hypervisor.Release(Copy);

        (await operation.Completion).TaskState.ShouldBeNull();
        _host.Store.Images.Count(i => i.Name == "again").ShouldBe(0, "a refused snapshot registers no image");
    }

    [Fact]
    public async Task A_failed_copy_leaves_no_image_no_file_and_the_guest_running_with_no_task()
    {
        var server = await _host.CreateActiveAsync();
        _host.Hypervisor.Failures.FailOn(Copy);

        var operation = await _service.BeginCreateImageAsync(server.Id.ToString(), "doomed", null, Callers.Admin, Ct);
        var failure = await Should.ThrowAsync<VireoException>(() => operation.Completion);

        failure.Message.ShouldContain("injected failure");
        failure.Message.ShouldContain("the image was removed");
        _host.Store.Images.ShouldNotContain(i => i.Id == operation.Image.Id);
        _host.Disks.SnapshotFiles.Paths.ShouldBeEmpty();
        var row = _host.Row(server.Id);
        (row.VmState, row.TaskState).ShouldBe((VmState.Active, (TaskState?)null));
        _host.Hypervisor.PowerOf(server.Id).ShouldBe(PowerState.Running);
        (await _service.ListServerActionsAsync(server.Id.ToString(), Callers.Admin, Ct)).Last().Result.ShouldBe(ActionResult.Error);
    }

    [Fact]
    public async Task A_guest_that_vanishes_during_the_copy_fails_the_snapshot_and_leaves_no_image()
    {
        var server = await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(Copy);
        var operation = await _service.BeginCreateImageAsync(server.Id.ToString(), "vanished", null, Callers.Admin, Ct);
        await reached;

        _host.Hypervisor.ChangeBehindOurBack(server.Id, power: null);
        _host.Hypervisor.Release(Copy);

        (await Should.ThrowAsync<VireoException>(() => operation.Completion)).Kind.ShouldBe(ErrorKind.NotFound);
        _host.Store.Images.ShouldNotContain(i => i.Id == operation.Image.Id);
        _host.Disks.SnapshotFiles.Paths.ShouldBeEmpty();
        _host.Row(server.Id).TaskState.ShouldBeNull();
    }

    [Fact]
    public async Task Deleting_the_server_during_a_snapshot_stops_it_and_removes_the_image()
    {
        var server = await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(Copy);
        var operation = await _service.BeginCreateImageAsync(server.Id.ToString(), "orphaned", null, Callers.Admin, Ct);
        await reached;

        var delete = await _service.BeginDeleteServerAsync(server.Id.ToString(), Callers.Admin, Ct);

        await Should.ThrowAsync<Exception>(() => operation.Completion);
        (await delete.Completion).IsDeleted.ShouldBeTrue();
        _host.Store.Images.ShouldNotContain(i => i.Id == operation.Image.Id);
        _host.Disks.SnapshotFiles.Paths.ShouldBeEmpty();
        _host.ShouldHaveNothingOnHostFor(server.Id);
    }

    [Fact]
    public async Task Content_the_image_store_refuses_is_undone_too()
    {
        var server = await _host.CreateActiveAsync();
        _host.Hypervisor.CopyContent = "bad copy"u8.ToArray();

        var failure = await Should.ThrowAsync<VireoException>(() => _service.CreateImageAsync(server.Id.ToString(), "bad", null, Callers.Admin, Ct));

        failure.Kind.ShouldBe(ErrorKind.InvalidInput);
        _host.Store.Images.ShouldNotContain(i => i.Name == "bad");
        _host.Disks.SnapshotFiles.Paths.ShouldBeEmpty();
    }

    [Fact]
    public async Task Content_the_image_store_refuses_is_undone_like_a_failed_copy()
    {
        var server = await _host.CreateActiveAsync();
        await _service.StopServerAsync(server.Id.ToString(), Callers.Admin, Ct);
        _host.Disks.Failures.FailOn(nameof(IInstanceDisks.ExportRootDiskAsync), () => new VireoException(ErrorKind.TooLarge, "the disk is full"));

        var failure = await Should.ThrowAsync<VireoException>(() => _service.CreateImageAsync(server.Id.ToString(), "full", null, Callers.Admin, Ct));

        failure.Kind.ShouldBe(ErrorKind.TooLarge);
        _host.Store.Images.ShouldNotContain(i => i.Name == "full");
        _host.Row(server.Id).TaskState.ShouldBeNull();
        _host.Row(server.Id).VmState.ShouldBe(VmState.Stopped);
    }

    [Fact]
    public async Task Deleting_the_image_while_it_saves_stops_the_copy_and_undoes_it()
    {
        var server = await _host.CreateActiveAsync();
        var reached = _host.Hypervisor.Hold(Copy);
        var operation = await _service.BeginCreateImageAsync(server.Id.ToString(), "short-lived", null, Callers.Admin, Ct);
        await reached;

        await _host.Images.DeleteAsync(operation.Image.Id, Ct);

        var failure = await Should.ThrowAsync<VireoException>(() => operation.Completion);
        failure.Message.ShouldContain("was deleted while it was being saved");
        _host.Store.Images.ShouldNotContain(i => i.Id == operation.Image.Id);
        _host.Disks.SnapshotFiles.Paths.ShouldBeEmpty();
        _host.Row(server.Id).TaskState.ShouldBeNull();
        _host.Hypervisor.PowerOf(server.Id).ShouldBe(PowerState.Running);
    }

    [Fact]
    public async Task A_backend_that_cannot_copy_a_running_guest_refuses_it_with_the_reason_and_takes_a_stopped_one()
    {
        var server = await _host.CreateActiveAsync();
        _host.Disks.RunningRootDiskCopy = new RunningDiskCopy.Refused("images_type = lvm copies the root volume only while the guest is stopped");

        var refused = await Should.ThrowAsync<VireoException>(() => _service.BeginCreateImageAsync(server.Id.ToString(), "lvm", null, Callers.Admin, Ct));

        refused.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Message.ShouldBe("server 'web1' is running and cannot be snapshotted live: images_type = lvm copies the root volume only while the guest is stopped");
        _host.Store.Images.ShouldNotContain(i => i.Name == "lvm");
        _host.Row(server.Id).TaskState.ShouldBeNull();

        await _service.StopServerAsync(server.Id.ToString(), Callers.Admin, Ct);
        (await _service.CreateImageAsync(server.Id.ToString(), "lvm", null, Callers.Admin, Ct)).Status.ShouldBe(ImageStatus.Active);
    }

    [Fact]
    public async Task An_unknown_server_is_not_found_before_the_name_is_looked_at()
    {
        var missing = await Should.ThrowAsync<VireoException>(() => _service.BeginCreateImageAsync(Guid.NewGuid().ToString(), null, null, Callers.Admin, Ct));

        missing.Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Theory]
    [InlineData(null, "needs a 'name'")]
    [InlineData("  ", "is blank")]
    public async Task A_missing_or_blank_name_is_invalid_input(string? name, string expected)
    {
        var server = await _host.CreateActiveAsync();

        var refused = await Should.ThrowAsync<VireoException>(() => _service.BeginCreateImageAsync(server.Id.ToString(), name, null, Callers.Admin, Ct));

        refused.Kind.ShouldBe(ErrorKind.InvalidInput);
        refused.Message.ShouldContain(expected);
        _host.Row(server.Id).TaskState.ShouldBeNull();
    }

    [Fact]
    public async Task A_server_in_error_cannot_be_snapshotted()
    {
        var server = await _host.CreateActiveAsync();
        await _host.Store.UpdateAsync(_host.Row(server.Id) with { VmState = VmState.Error }, Ct);

        var refused = await Should.ThrowAsync<VireoException>(() => _service.BeginCreateImageAsync(server.Id.ToString(), "x", null, Callers.Admin, Ct));

        refused.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Message.ShouldContain("'createImage' needs it active or paused or suspended or stopped");
    }

    [Theory]
    [InlineData(DiskFormat.Qcow2, DiskFormat.Qcow2)]
    [InlineData(DiskFormat.Raw, DiskFormat.Raw)]
    [InlineData(DiskFormat.Vmdk, DiskFormat.Qcow2)]
    [InlineData(DiskFormat.Iso, DiskFormat.Qcow2)]
    public void The_snapshot_keeps_a_raw_or_qcow2_source_format_and_is_qcow2_otherwise(DiskFormat source, DiskFormat expected) =>
        SnapshotImage.FormatFor(source).ShouldBe(expected);

    [Fact]
    public void The_three_snapshot_keys_win_over_the_source_and_the_request() =>
        SnapshotImage.Properties(Guid.Empty, Guid.Empty, new Dictionary<string, string> { ["instance_uuid"] = "old" }, new Dictionary<string, string> { ["image_type"] = "image" })
            .ShouldBe(new Dictionary<string, string>
            {
                ["image_type"] = "snapshot",
                ["instance_uuid"] = Guid.Empty.ToString(),
                ["base_image_ref"] = Guid.Empty.ToString(),
            }, ignoreOrder: true);

    [Theory]
    [InlineData(PowerState.Running, SnapshotMethod.Live)]
    [InlineData(PowerState.Paused, SnapshotMethod.Live)]
    [InlineData(PowerState.Shutdown, SnapshotMethod.Cold)]
    [InlineData(PowerState.Suspended, SnapshotMethod.Cold)]
    public void Running_or_paused_guests_are_copied_live_the_others_cold(PowerState power, SnapshotMethod method) =>
        SnapshotImage.Decide(power, RunningDiskCopy.ByHypervisor, "server 'x'").Method.ShouldBe(method);

    [Theory]
    [InlineData(PowerState.Running, SnapshotMethod.StorageSnapshot)]
    [InlineData(PowerState.Paused, SnapshotMethod.StorageSnapshot)]
    [InlineData(PowerState.Shutdown, SnapshotMethod.Cold)]
    public void A_backend_that_snapshots_running_disks_itself_is_asked_for_running_guests_too(PowerState power, SnapshotMethod method) =>
        SnapshotImage.Decide(power, RunningDiskCopy.ByStorage, "server 'x'").Method.ShouldBe(method);

    [Fact]
    public void A_refused_running_copy_refuses_running_guests_only_naming_the_server_and_the_reason()
    {
        var refused = new RunningDiskCopy.Refused("stop the server first");

        SnapshotImage.Decide(PowerState.Running, refused, "server 'x'").ShouldBe((null, "server 'x' is running and cannot be snapshotted live: stop the server first"));
        SnapshotImage.Decide(PowerState.Shutdown, refused, "server 'x'").ShouldBe((SnapshotMethod.Cold, null));
    }
}

internal static class StreamText
{
    public static string ReadAllText(this Stream stream)
    {
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

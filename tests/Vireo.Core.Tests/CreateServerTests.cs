using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

public sealed class CreateServerTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_server_makes_its_disk_and_running_guest_and_ends_active()
    {
        var faults = new RecordingFaultPoints();
        var instance = await _host.Service(faults).CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);

        instance.VmState.ShouldBe(VmState.Active);
        instance.TaskState.ShouldBeNull();
        instance.PowerState.ShouldBe(PowerState.Running);
        instance.Status.ShouldBe("ACTIVE");
        instance.FlavorId.ShouldBe("1");
        instance.ImageId.ShouldBe(FakeHost.Cirros.Id);
        instance.Host.ShouldBe(FakeHost.HostName);
        instance.LaunchedAt.ShouldNotBeNull();
        _host.Hypervisor.PowerOf(instance.Id).ShouldBe(PowerState.Running);
        _host.Disks.Directories.ShouldContain(instance.Id);
        faults.Steps.ShouldBe(FaultSteps.Create);
    }

    [Fact]
    public async Task Build_progress_follows_the_disk_step_never_goes_back_and_is_cleared_at_the_end()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.Disks.DuringCreate = async progress =>
        {
            progress.ShouldNotBeNull().Report(40);
            progress.Report(30);
            reported.SetResult();
            await hold.Task;
        };
        var service = _host.Service();

        var operation = await service.BeginCreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        await reported.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var during = service.BuildProgress(operation.Accepted.Id);
        hold.SetResult();
        await operation.Completion;

        during.ShouldBe(40);
        service.BuildProgress(operation.Accepted.Id).ShouldBe(0);
    }

    [Fact]
    public async Task The_guest_is_defined_with_the_flavor_the_image_and_the_disks_made()
    {
        var instance = await _host.Service().CreateServerAsync(FakeHost.Request(flavor: "2"), Callers.Admin, Ct);

        var spec = _host.Hypervisor.Guests[instance.Id].Spec.ShouldNotBeNull();
        spec.Flavor.ShouldBe(FakeHost.Small);
        spec.Image.ShouldBe(FakeHost.Cirros);
        spec.Name.ShouldBe("web1");
        spec.Disks.Disks.Single().Role.ShouldBe(DiskRole.Root);
    }

    [Fact]
    public async Task Creating_records_a_successful_create_action_with_the_request_id()
    {
        var instance = await _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Request("req-1"), Ct);

        var action = (await _host.Store.ListActionsAsync(instance.Id, Ct)).ShouldHaveSingleItem();
        action.Action.ShouldBe("create");
        action.RequestId.ShouldBe("req-1");
        action.Result.ShouldBe(ActionResult.Success);
        action.FinishedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Begin_create_answers_with_the_building_row_before_the_build_runs()
    {
        var reached = _host.Hypervisor.Hold(nameof(IHypervisor.StartGuestAsync));
        var operation = await _host.Service().BeginCreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);

        operation.Accepted.VmState.ShouldBe(VmState.Building);
        operation.Accepted.TaskState.ShouldBe(TaskState.Scheduling);
        operation.Accepted.Status.ShouldBe("BUILD");
        await reached;
        _host.Row(operation.Accepted.Id).TaskState.ShouldBe(TaskState.Spawning);
        operation.Completion.IsCompleted.ShouldBeFalse();

        _host.Hypervisor.Release(nameof(IHypervisor.StartGuestAsync));
        (await operation.Completion).VmState.ShouldBe(VmState.Active);
    }

    [Fact]
    public async Task Image_and_flavor_may_be_given_by_id()
    {
        var instance = await _host.Service().CreateServerAsync(new CreateServerRequest("web1", FakeHost.Cirros.Id.ToString(), "1"), Callers.Admin, Ct);
        instance.VmState.ShouldBe(VmState.Active);
    }

    [Fact]
    public async Task An_unknown_image_is_not_found_names_the_reference_and_creates_nothing()
    {
        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: "ubuntu"), Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.NotFound);
        refusal.Message.ShouldBe("image 'ubuntu' does not exist; list the images to see their ids and names");
        ShouldHaveCreatedNothing();
    }

    [Fact]
    public async Task An_unknown_image_id_is_not_found()
    {
        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: Guid.NewGuid().ToString()), Callers.Admin, Ct));
        refusal.Kind.ShouldBe(ErrorKind.NotFound);
        ShouldHaveCreatedNothing();
    }

    [Fact]
    public async Task An_unknown_flavor_is_not_found_names_the_reference_and_creates_nothing()
    {
        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(flavor: "m1.huge"), Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.NotFound);
        refusal.Message.ShouldBe("flavor 'm1.huge' does not exist; list the flavors to see their ids and names");
        ShouldHaveCreatedNothing();
    }

    [Fact]
    public async Task Names_are_not_unique_each_create_makes_its_own_server()
    {
        var first = await _host.CreateActiveAsync("web1");

        var second = await _host.Service().CreateServerAsync(FakeHost.Request("web1"), Callers.Admin, Ct);

        second.Id.ShouldNotBe(first.Id);
        second.VmState.ShouldBe(VmState.Active);
        _host.Hypervisor.Guests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_server_belongs_to_the_creating_callers_project_and_user()
    {
        var instance = await _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Alice, Ct);

        instance.ProjectId.ShouldBe("projA");
        instance.UserId.ShouldBe("alice");
        _host.Row(instance.Id).ProjectId.ShouldBe("projA");
    }

    [Fact]
    public async Task Another_projects_private_image_is_not_found_by_id_or_by_name_and_creates_nothing()
    {
        var secret = _host.Images.Add("secret", owner: "projB", visibility: ImageVisibility.Private);

        var byId = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: secret.Id.ToString()), Callers.Alice, Ct));
        var byName = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: "secret"), Callers.Alice, Ct));

        byId.Kind.ShouldBe(ErrorKind.NotFound);
        byId.Message.ShouldBe($"image '{secret.Id}' does not exist; list the images to see their ids and names");
        byName.Kind.ShouldBe(ErrorKind.NotFound);
        ShouldHaveCreatedNothing();
        (await _host.Service().CreateServerAsync(FakeHost.Request(image: "secret"), Callers.Bob, Ct)).VmState.ShouldBe(VmState.Active, "its owner boots it");
    }

    [Fact]
    public async Task An_image_that_is_not_active_is_a_conflict()
    {
        _host.Store.Put(FakeHost.Cirros with { Id = Guid.NewGuid(), Name = "half", Status = ImageStatus.Queued });

        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: "half"), Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldContain("is queued; only an active image can boot a server");
        ShouldHaveCreatedNothing();
    }

    [Fact]
    public async Task An_image_name_shared_by_two_images_is_a_conflict_asking_for_the_id()
    {
        _host.Store.Put(FakeHost.Cirros with { Id = Guid.NewGuid() });

        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: "cirros"), Callers.Admin, Ct));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        refusal.Message.ShouldBe("image name 'cirros' matches 2 images; give the id of the one you mean");
    }

    [Fact]
    public async Task A_flavor_smaller_than_the_images_minimum_is_invalid_input()
    {
        _host.Store.Put(FakeHost.Cirros with { Id = Guid.NewGuid(), Name = "big", MinDiskGiB = 10 });
        _host.Store.Put(FakeHost.Cirros with { Id = Guid.NewGuid(), Name = "hungry", MinRamMiB = 1024 });
        _host.Store.Put(FakeHost.Cirros with { Id = Guid.NewGuid(), Name = "wide", VirtualSizeBytes = 5L << 30 });

        foreach (var image in new[] { "big", "hungry", "wide" })
        {
            var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(image: image), Callers.Admin, Ct));
            refusal.Kind.ShouldBe(ErrorKind.InvalidInput);
            refusal.Message.ShouldContain("choose a larger flavor");
        }

        ShouldHaveCreatedNothing();
    }

    [Fact]
    public async Task A_bad_name_is_invalid_input_and_creates_nothing()
    {
        var refusal = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(" web1"), Callers.Admin, Ct));
        refusal.Kind.ShouldBe(ErrorKind.InvalidInput);
        ShouldHaveCreatedNothing();
    }

    public static TheoryData<string> CreateSteps => [.. FaultSteps.Create];

    [Theory]
    [MemberData(nameof(CreateSteps))]
    public async Task A_failure_at_any_create_step_leaves_no_disk_no_guest_and_the_server_in_error_with_a_reason(string step)
    {
        var faults = new TestFaultPoints(step, FaultMode.Fail, _host.Process);

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service(faults).CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        faults.Fired.ShouldBeTrue();
        failure.Message.ShouldStartWith("server 'web1' could not be built: the build failed while");
        failure.Message.ShouldContain($"injected fault at {step}");
        var row = _host.Store.Single("web1");
        row.VmState.ShouldBe(VmState.Error);
        row.TaskState.ShouldBeNull();
        row.PowerState.ShouldBe(PowerState.NoState);
        row.Status.ShouldBe("ERROR");
        row.FaultReason.ShouldNotBeNull().ShouldContain($"injected fault at {step}");
        _host.ShouldHaveNothingOnHostFor(row.Id);
        (await _host.Store.ListFaultsAsync(row.Id, Ct)).ShouldHaveSingleItem().Message.ShouldBe(row.FaultReason);
        (await _host.Store.ListActionsAsync(row.Id, Ct)).ShouldHaveSingleItem().Result.ShouldBe(ActionResult.Error);
    }

    [Theory]
    [InlineData("disks", nameof(IInstanceDisks.CreateRootDiskAsync), "creating its disks")]
    [InlineData("hypervisor", nameof(IHypervisor.DefineGuestAsync), "defining its guest")]
    [InlineData("hypervisor", nameof(IHypervisor.StartGuestAsync), "starting its guest")]
    [InlineData("store", nameof(IInstanceStore.UpdateAsync), "creating its disks")]
    public async Task A_failing_port_during_the_build_is_undone_and_named_in_the_reason(string port, string method, string stage)
    {
        var failures = port switch
        {
            "disks" => _host.Disks.Failures,
            "hypervisor" => _host.Hypervisor.Failures,
            _ => _host.Store.Failures,
        };
        failures.FailOn(method);
        var operation = await _host.Service().BeginCreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        var failure = await Should.ThrowAsync<VireoException>(() => operation.Completion);
        failures.Clear(method);

        failure.Kind.ShouldBe(ErrorKind.Failed);
        failure.Message.ShouldContain($"the build failed while {stage}: injected failure in {method}");
        _host.ShouldHaveNothingOnHostFor(operation.Accepted.Id);
        if (port != "store")
        {
            _host.Row(operation.Accepted.Id).VmState.ShouldBe(VmState.Error);
        }
    }

    [Fact]
    public async Task A_disk_step_that_fails_half_way_has_its_leftovers_removed()
    {
        _host.Disks.FailAfterMakingDirectory = true;

        await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        _host.Disks.Directories.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_start_that_fails_because_the_hypervisor_is_down_keeps_the_kind_unavailable()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync), ErrorKind.Unavailable);

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        failure.Kind.ShouldBe(ErrorKind.Unavailable);
        _host.Hypervisor.Guests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_undo_that_fails_is_reported_in_the_reason_and_the_server_stays_in_error()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.UndefineGuestAsync));

        var failure = await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        failure.Message.ShouldContain("cleaning up also failed (undefining its guest: injected failure in UndefineGuestAsync)");
        var row = _host.Store.Single("web1");
        row.VmState.ShouldBe(VmState.Error);
        row.FaultReason.ShouldNotBeNull().ShouldContain("delete the server to retry the clean-up");
        _host.Disks.Directories.ShouldBeEmpty("the other undos still ran");

        _host.Hypervisor.Failures.Clear(nameof(IHypervisor.UndefineGuestAsync));
        await _host.Service().DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        _host.ShouldHaveNothingOnHostFor(row.Id);
    }

    private void ShouldHaveCreatedNothing()
    {
        _host.Store.Instances.ShouldBeEmpty();
        _host.Hypervisor.Guests.ShouldBeEmpty();
        _host.Disks.Directories.ShouldBeEmpty();
    }
}

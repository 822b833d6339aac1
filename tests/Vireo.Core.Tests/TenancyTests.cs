using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>Who sees and changes what: servers by project, images by owner and visibility, admin-only operations by the policy table.</summary>
public sealed class TenancyTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Instance> AlicesServerAsync(string name = "web1") =>
        await _host.Service().CreateServerAsync(FakeHost.Request(name), Callers.Alice, Ct);

    [Fact]
    public async Task Another_projects_server_is_not_found_for_every_operation_and_the_message_names_only_the_reference()
    {
        var server = await AlicesServerAsync();
        var id = server.Id.ToString();
        var service = _host.Service();
        var bob = Callers.Bob;

        var refusals = new List<VireoException>
        {
            await Should.ThrowAsync<VireoException>(() => service.ShowServerAsync(id, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.DeleteServerAsync(id, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.StopServerAsync(id, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.StartServerAsync(id, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.RebootServerAsync(id, RebootType.Hard, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.ListServerActionsAsync(id, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.ListServerFaultsAsync(id, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.ReadConsoleOutputAsync(id, null, bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.PingGuestAgentAsync(id, TimeSpan.FromSeconds(1), bob, Ct)),
            await Should.ThrowAsync<VireoException>(() => service.CreateImageAsync(id, "snap", null, bob, Ct)),
        };

        foreach (var refusal in refusals)
        {
            refusal.Kind.ShouldBe(ErrorKind.NotFound);
            refusal.Message.ShouldContain($"'{id}'");
            refusal.Message.ShouldNotContain("web1", Case.Sensitive, "the other project's server name is never shown");
            refusal.Message.ShouldNotContain("projA");
        }

        _host.Row(server.Id).VmState.ShouldBe(VmState.Active, "nothing was done to it");
        (await service.ListServerActionsAsync(id, Callers.Alice, Ct)).Select(a => a.Action).ShouldBe(["create"]);
    }

    [Fact]
    public async Task An_admin_acts_on_any_projects_server_by_id()
    {
        var server = await AlicesServerAsync();
        var service = _host.Service();

        (await service.ShowServerAsync(server.Id.ToString(), Callers.Admin, Ct)).ProjectId.ShouldBe("projA");
        (await service.StopServerAsync(server.Id.ToString(), Callers.Admin, Ct)).VmState.ShouldBe(VmState.Stopped);
        (await service.DeleteServerAsync(server.Id.ToString(), Callers.Admin, Ct)).VmState.ShouldBe(VmState.Deleted);
    }

    [Fact]
    public async Task Lists_hold_the_callers_project_all_projects_need_the_admin_role()
    {
        var alices = await AlicesServerAsync("a1");
        var bobs = await _host.Service().CreateServerAsync(FakeHost.Request("b1"), Callers.Bob, Ct);
        var service = _host.Service();

        (await service.ListServersAsync(new ServerListQuery(), Callers.Alice, Ct)).Select(i => i.Id).ShouldBe([alices.Id]);
        (await service.ListServersAsync(new ServerListQuery(), Callers.Bob, Ct)).Select(i => i.Id).ShouldBe([bobs.Id]);
        (await service.ListServersAsync(new ServerListQuery(), Callers.Admin, Ct)).ShouldBeEmpty("without all projects an admin lists its own project's");
        (await service.ListServersAsync(new ServerListQuery { AllProjects = true }, Callers.Admin, Ct)).Select(i => i.Id).ShouldBe([bobs.Id, alices.Id]);
        (await service.ListServersAsync(new ServerListQuery { AllProjects = true, ProjectFilter = "projA" }, Callers.Admin, Ct)).Select(i => i.Id).ShouldBe([alices.Id]);

        var refusal = await Should.ThrowAsync<VireoException>(() => service.ListServersAsync(new ServerListQuery { AllProjects = true }, Callers.Alice, Ct));
        refusal.Kind.ShouldBe(ErrorKind.Forbidden);
        refusal.Message.ShouldBe("Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.");
    }

    [Fact]
    public async Task Admin_only_operations_are_forbidden_to_members_by_the_policy_rule_name()
    {
        var service = _host.Service();
        var flavor = new Flavor("77", "m1.member", 1, 128, 1, 0, 0, Flavor.NoExtraSpecs);

        (await Should.ThrowAsync<VireoException>(() => service.CreateFlavorAsync(flavor, Callers.Alice, Ct))).Message
            .ShouldBe("Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.");
        (await Should.ThrowAsync<VireoException>(() => service.DeleteFlavorAsync("1", Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.Forbidden);
        (await Should.ThrowAsync<VireoException>(() => service.ListOrphansAsync(Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.Forbidden);
        (await Should.ThrowAsync<VireoException>(() => service.PurgeOrphanAsync(Guid.NewGuid().ToString(), Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.Forbidden);
        (await Should.ThrowAsync<VireoException>(() => service.ReconcileAsync(Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.Forbidden);
        (await Should.ThrowAsync<VireoException>(() => service.RunPendingDeletesAsync(Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.Forbidden);
        (await service.ListFlavorsAsync(Callers.Alice, Ct)).ShouldNotBeEmpty("every caller reads the flavors");

        (await service.CreateFlavorAsync(flavor, Callers.Admin, Ct)).Id.ShouldBe("77");
        (await service.DeleteFlavorAsync("77", Callers.Admin, Ct)).Id.ShouldBe("77");
        await service.ReconcileAsync(service.ServiceContext(), Ct);
    }

    [Fact]
    public async Task Image_lists_hold_own_and_public_images_community_only_when_asked_and_an_admin_sees_all()
    {
        var mine = _host.Images.Add("mine", owner: "projA", visibility: ImageVisibility.Private);
        var shared = _host.Images.Add("shared", owner: "projA", visibility: ImageVisibility.Shared);
        var theirs = _host.Images.Add("theirs", owner: "projB", visibility: ImageVisibility.Private);
        var theirShared = _host.Images.Add("their-shared", owner: "projB", visibility: ImageVisibility.Shared);
        var community = _host.Images.Add("community", owner: "projB", visibility: ImageVisibility.Community);
        var service = _host.Service();

        var alices = (await service.ListImagesAsync(new ImageListQuery(), Callers.Alice, Ct)).Select(i => i.Name).ToList();
        alices.ShouldBe(["mine", "shared", "cirros"], ignoreOrder: true);
        (await service.ListImagesAsync(new ImageListQuery(ImageVisibility.Community), Callers.Alice, Ct)).Select(i => i.Id).ShouldBe([community.Id]);
        (await service.ListImagesAsync(new ImageListQuery(Owner: "projB"), Callers.Alice, Ct)).ShouldBeEmpty();
        (await service.ListImagesAsync(new ImageListQuery(), Callers.Admin, Ct)).Count.ShouldBe(6);

        (await service.ShowImageAsync(community.Id.ToString(), Callers.Alice, Ct)).Id.ShouldBe(community.Id, "community images are shown by id");
        foreach (var hidden in new[] { theirs, theirShared })
        {
            var refusal = await Should.ThrowAsync<VireoException>(() => service.ShowImageAsync(hidden.Id.ToString(), Callers.Alice, Ct));
            refusal.Kind.ShouldBe(ErrorKind.NotFound);
            refusal.Message.ShouldNotContain(hidden.Name);
            (await Should.ThrowAsync<VireoException>(() => service.DeleteImageAsync(hidden.Id.ToString(), Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        }

        (await service.ShowImageAsync(shared.Id.ToString(), Callers.Alice, Ct)).Id.ShouldBe(shared.Id);
        (await service.ShowImageAsync(mine.Id.ToString(), Callers.Admin, Ct)).Id.ShouldBe(mine.Id);
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_deletes_an_image_a_visible_one_of_another_project_is_forbidden()
    {
        var service = _host.Service();

        (await Should.ThrowAsync<VireoException>(() => service.DeleteImageAsync(FakeHost.Cirros.Id.ToString(), Callers.Alice, Ct))).Kind.ShouldBe(ErrorKind.Forbidden);
        var mine = _host.Images.Add("mine", owner: "projA", visibility: ImageVisibility.Private);
        await service.DeleteImageAsync(mine.Id.ToString(), Callers.Alice, Ct);
        await service.DeleteImageAsync(FakeHost.Cirros.Id.ToString(), Callers.Admin, Ct);
        (await ((IImageCatalog)_host.Store).ListAsync(Ct)).ShouldNotContain(image => image.Id == mine.Id || image.Id == FakeHost.Cirros.Id);
    }

    [Fact]
    public async Task An_import_is_private_to_the_callers_project_public_needs_the_admin_role_community_does_not()
    {
        var service = _host.Service();
        ImageImportRequest Request(string name, ImageVisibility visibility) =>
            new(name, DiskFormat.Qcow2, "bare", ImageRecord.NoProperties) { Visibility = visibility, Owner = "forged" };

        var plain = await service.ImportImageAsync(Request("plain", ImageVisibility.Private), new MemoryStream([1, 2, 3]), null, Callers.Alice, Ct);
        plain.Owner.ShouldBe("projA", "the owner is the caller's project, whatever the request said");
        plain.Visibility.ShouldBe(ImageVisibility.Private);

        var refusal = await Should.ThrowAsync<VireoException>(() => service.ImportImageAsync(Request("wide", ImageVisibility.Public), new MemoryStream([1]), null, Callers.Alice, Ct));
        refusal.Kind.ShouldBe(ErrorKind.Forbidden);
        refusal.Message.ShouldBe("Policy doesn't allow publicize_image to be performed.");
        (await service.RegisterImageAsync(Request("open", ImageVisibility.Community), Callers.Alice, Ct)).Visibility.ShouldBe(ImageVisibility.Community);
        (await service.RegisterImageAsync(Request("wide", ImageVisibility.Public), Callers.Admin, Ct)).Visibility.ShouldBe(ImageVisibility.Public);
    }

    [Fact]
    public async Task A_snapshot_is_private_and_owned_by_the_servers_project_even_when_an_admin_takes_it()
    {
        var server = await AlicesServerAsync();

        var image = await _host.Service().CreateImageAsync(server.Id.ToString(), "snap", null, Callers.Admin, Ct);

        image.Owner.ShouldBe("projA");
        image.Visibility.ShouldBe(ImageVisibility.Private);
        (await _host.Service().ShowImageAsync(image.Id.ToString(), Callers.Alice, Ct)).Id.ShouldBe(image.Id);
        (await Should.ThrowAsync<VireoException>(() => _host.Service().ShowImageAsync(image.Id.ToString(), Callers.Bob, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Theory]
    [InlineData(ImageVisibility.Private, false, false, true)]
    [InlineData(ImageVisibility.Shared, false, false, true)]
    [InlineData(ImageVisibility.Community, true, false, true)]
    [InlineData(ImageVisibility.Public, true, true, true)]
    public void Access_to_another_projects_image_follows_its_visibility(ImageVisibility visibility, bool seenById, bool listed, bool adminSees)
    {
        var image = FakeHost.Cirros with { Owner = "projB", Visibility = visibility };

        Access.CanSeeImage(Callers.Alice, image).ShouldBe(seenById);
        Access.ListsImage(Callers.Alice, image, visibilityFilter: null).ShouldBe(listed);
        Access.CanSeeImage(Callers.Admin, image).ShouldBe(adminSees);
        Access.CanChangeImage(Callers.Alice, image).ShouldBeFalse();
        Access.CanChangeImage(Callers.Bob, image).ShouldBeTrue();
    }

    [Fact]
    public void Every_policy_rule_is_admin_only_and_an_unknown_rule_lets_nobody_through()
    {
        Policy.Rules.Values.ShouldAllBe(requirement => requirement == PolicyRequirement.Admin);
        foreach (var rule in Policy.Rules.Keys)
        {
            Policy.Allows(Callers.Admin, rule).ShouldBeTrue(rule);
            Policy.Allows(Callers.Alice, rule).ShouldBeFalse(rule);
        }

        Policy.Allows(Callers.Admin, "no:such:rule").ShouldBeFalse();
    }
}

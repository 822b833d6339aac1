using Shouldly;
using Vireo.Core.Ports;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What callers of the store ports (<see cref="IInstanceStore"/>, <see cref="IFlavorStore"/>,
/// <see cref="IImageRegistry"/>) rely on, asserted the same way for the in-memory fake and for the
/// SQLite store (and any store that joins them): a derived class supplies a fresh store per test
/// (no instances or images; flavors may be seeded, so the flavors used here have ids of their own). Errors are those the SQLite store raises: Conflict for a taken id and for a
/// stale revision, InvalidInput for a list marker that is not in the list, NotFound for an update of a row that is gone and for history of an unknown instance.
/// </summary>
public abstract class StoreContract
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 6, 7, 8, 9, 10, 123, TimeSpan.Zero).AddTicks(4567);

    protected abstract IInstanceStore Instances { get; }

    protected abstract IFlavorStore Flavors { get; }

    protected abstract IImageRegistry Images { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Instance AnInstance(string name, DateTimeOffset? createdAt = null, string project = "projA") =>
        new(Guid.NewGuid(), name, Guid.NewGuid(), "1", VmState.Building, TaskState.Scheduling, PowerState.NoState, FaultReason: null, "compute1",
            createdAt ?? T0, createdAt ?? T0)
        {
            ProjectId = project,
            UserId = "user-" + project,
        };

    private static ImageRecord AnImage(string name, DateTimeOffset createdAt) =>
        new(Guid.NewGuid(), name, ImageStatus.Active, DiskFormat.Qcow2, "bare", 1024, 4096, new string('f', 64), 1, 64,
            new Dictionary<string, string> { ["os_distro"] = "cirros" }, createdAt, createdAt)
        {
            Owner = "projA",
            Visibility = Core.Tenancy.ImageVisibility.Community,
        };

    private static Flavor AFlavor(string id, string name) => new(id, name, 1, 128, 1, 0, 0, Flavor.NoExtraSpecs);

    [Fact]
    public async Task An_added_instance_reads_back_by_id_with_its_owner()
    {
        var instance = AnInstance("web1", project: "projB");

        await Instances.AddAsync(instance, Ct);

        var read = await Instances.GetAsync(instance.Id, Ct);
        read.ShouldBe(instance);
        read!.ProjectId.ShouldBe("projB");
        read.UserId.ShouldBe("user-projB");
        (await Instances.GetAsync(Guid.NewGuid(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task A_taken_id_is_a_conflict_names_are_not_unique_and_a_deleted_instance_is_kept()
    {
        var first = AnInstance("web1");
        await Instances.AddAsync(first, Ct);

        (await Should.ThrowAsync<VireoException>(() => Instances.AddAsync(first with { Name = "other" }, Ct))).Kind.ShouldBe(ErrorKind.Conflict);
        var twin = AnInstance("web1");
        await Instances.AddAsync(twin, Ct);

        var deleted = await Instances.UpdateAsync(first with { VmState = VmState.Deleted, TaskState = null }, Ct);
        (await Instances.QueryAsync(new InstanceQuery(), Ct)).ShouldBe([twin], "a deleted instance is not listed");
        (await Instances.GetAsync(first.Id, Ct)).ShouldBe(deleted, "a deleted instance is kept and read by id");
    }

    [Fact]
    public async Task A_query_lists_one_projects_live_servers_newest_first_then_by_id_descending()
    {
        var a1 = AnInstance("a1", T0, "projA");
        var a2 = AnInstance("a2", T0.AddSeconds(1), "projA");
        var b1 = AnInstance("b1", T0.AddSeconds(2), "projB");
        var a3 = AnInstance("a3", T0.AddSeconds(1), "projA");
        foreach (var instance in new[] { a1, b1, a3, a2 })
        {
            await Instances.AddAsync(instance, Ct);
        }

        var sameMoment = new[] { a2, a3 }.OrderByDescending(i => i.Id.ToString("D"), StringComparer.Ordinal).ToList();
        (await Instances.QueryAsync(new InstanceQuery { ProjectId = "projA" }, Ct)).ShouldBe([.. sameMoment, a1]);
        (await Instances.QueryAsync(new InstanceQuery { ProjectId = "projB" }, Ct)).ShouldBe([b1]);
        (await Instances.QueryAsync(new InstanceQuery { ProjectId = "projC" }, Ct)).ShouldBeEmpty();
        (await Instances.QueryAsync(new InstanceQuery(), Ct)).ShouldBe([b1, .. sameMoment, a1], "no project: every project's");
    }

    [Fact]
    public async Task A_query_sorts_by_a_key_and_pages_after_a_marker()
    {
        var names = new[] { "delta", "alpha", "charlie", "bravo", "echo" };
        var added = new List<Instance>();
        for (var i = 0; i < names.Length; i++)
        {
            var instance = AnInstance(names[i], T0.AddSeconds(i));
            added.Add(instance);
            await Instances.AddAsync(instance, Ct);
        }

        var byName = new InstanceQuery { ProjectId = "projA", SortKey = InstanceSortKey.Name, Descending = false, Limit = 2 };
        var first = await Instances.QueryAsync(byName, Ct);
        first.Select(i => i.Name).ShouldBe(["alpha", "bravo"]);
        var second = await Instances.QueryAsync(byName with { Marker = first[^1].Id }, Ct);
        second.Select(i => i.Name).ShouldBe(["charlie", "delta"]);
        var last = await Instances.QueryAsync(byName with { Marker = second[^1].Id }, Ct);
        last.Select(i => i.Name).ShouldBe(["echo"]);
        (await Instances.QueryAsync(byName with { Marker = last[^1].Id }, Ct)).ShouldBeEmpty("after the last one the page is empty, not an error");

        var newest = await Instances.QueryAsync(new InstanceQuery { ProjectId = "projA", Limit = 1, Marker = added[^1].Id }, Ct);
        newest.Single().Name.ShouldBe("bravo", "created_at desc: the one before the newest");
    }

    [Fact]
    public async Task A_marker_not_in_the_list_is_invalid_input_naming_it()
    {
        var mine = AnInstance("mine", T0, "projA");
        var theirs = AnInstance("theirs", T0, "projB");
        await Instances.AddAsync(mine, Ct);
        await Instances.AddAsync(theirs, Ct);
        var unknown = Guid.NewGuid();

        var missing = await Should.ThrowAsync<VireoException>(() => Instances.QueryAsync(new InstanceQuery { ProjectId = "projA", Marker = unknown }, Ct));
        missing.Kind.ShouldBe(ErrorKind.InvalidInput);
        missing.Message.ShouldBe($"marker [{unknown:D}] not found");
        (await KindOf(() => Instances.QueryAsync(new InstanceQuery { ProjectId = "projA", Marker = theirs.Id }, Ct)))
            .ShouldBe(ErrorKind.InvalidInput, "another project's server is not in this list");
        (await Instances.QueryAsync(new InstanceQuery { Marker = theirs.Id }, Ct)).ShouldNotBeNull("in the list of every project it is");
    }

    [Fact]
    public async Task Instances_are_listed_newest_first_and_deleted_ones_only_when_asked()
    {
        var old = AnInstance("old", T0);
        var middle = AnInstance("middle", T0.AddSeconds(1));
        var young = AnInstance("young", T0.AddSeconds(2));
        await Instances.AddAsync(middle, Ct);
        await Instances.AddAsync(young, Ct);
        await Instances.AddAsync(old, Ct);
        var gone = await Instances.UpdateAsync(middle with { VmState = VmState.Deleted, TaskState = null }, Ct);

        (await Instances.ListAsync(includeDeleted: false, Ct)).ShouldBe([young, old]);
        (await Instances.ListAsync(includeDeleted: true, Ct)).ShouldBe([young, gone, old]);
    }

    [Fact]
    public async Task Instances_created_at_the_same_moment_are_listed_by_id()
    {
        var a = AnInstance("a", T0);
        var b = AnInstance("b", T0);
        var c = AnInstance("c", T0);
        await Instances.AddAsync(b, Ct);
        await Instances.AddAsync(c, Ct);
        await Instances.AddAsync(a, Ct);

        (await Instances.ListAsync(includeDeleted: false, Ct)).Select(i => i.Id)
            .ShouldBe(new[] { a, b, c }.Select(i => i.Id).OrderBy(id => id.ToString("D"), StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_update_is_a_compare_and_set_on_the_revision()
    {
        var instance = AnInstance("web1");
        await Instances.AddAsync(instance, Ct);

        var updated = await Instances.UpdateAsync(instance with { VmState = VmState.Active, TaskState = null }, Ct);

        updated.Revision.ShouldBe(instance.Revision + 1);
        (await Instances.GetAsync(instance.Id, Ct)).ShouldBe(updated);
        var stale = await Should.ThrowAsync<VireoException>(() => Instances.UpdateAsync(instance with { VmState = VmState.Error }, Ct));
        stale.Kind.ShouldBe(ErrorKind.Conflict);
        (await Instances.GetAsync(instance.Id, Ct)).ShouldBe(updated, "a refused update changes nothing");
    }

    [Fact]
    public async Task Updating_an_instance_that_is_gone_is_not_found_and_renaming_onto_a_live_name_is_allowed()
    {
        (await Should.ThrowAsync<VireoException>(() => Instances.UpdateAsync(AnInstance("nowhere"), Ct))).Kind.ShouldBe(ErrorKind.NotFound);

        var web1 = AnInstance("web1");
        var web2 = AnInstance("web2");
        await Instances.AddAsync(web1, Ct);
        await Instances.AddAsync(web2, Ct);

        (await Instances.UpdateAsync(web2 with { Name = "web1" }, Ct)).Name.ShouldBe("web1");
    }

    [Fact]
    public async Task Actions_belong_to_an_existing_instance_one_per_request_oldest_first()
    {
        var instance = AnInstance("web1");
        await Instances.AddAsync(instance, Ct);
        var create = new InstanceAction(instance.Id, "req-1", InstanceActionNames.Create, T0);
        var stop = new InstanceAction(instance.Id, "req-2", InstanceActionNames.Stop, T0.AddSeconds(5));
        var start = new InstanceAction(instance.Id, "req-3", InstanceActionNames.Start, T0.AddSeconds(2));

        await Instances.AddActionAsync(create, Ct);
        await Instances.AddActionAsync(stop, Ct);
        await Instances.AddActionAsync(start, Ct);
        await Instances.FinishActionAsync(instance.Id, "req-1", T0.AddSeconds(1), ActionResult.Success, null, Ct);

        (await Instances.ListActionsAsync(instance.Id, Ct)).ShouldBe(
            [create with { FinishedAt = T0.AddSeconds(1), Result = ActionResult.Success }, start, stop]);
        (await KindOf(() => Instances.AddActionAsync(create with { Action = InstanceActionNames.Reboot }, Ct))).ShouldBe(ErrorKind.Conflict);
        (await KindOf(() => Instances.AddActionAsync(create with { InstanceId = Guid.NewGuid() }, Ct))).ShouldBe(ErrorKind.NotFound);
        (await KindOf(() => Instances.FinishActionAsync(instance.Id, "req-9", T0, ActionResult.Error, "x", Ct))).ShouldBe(ErrorKind.NotFound);
        (await Instances.ListActionsAsync(Guid.NewGuid(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Faults_belong_to_an_existing_instance_newest_first()
    {
        var instance = AnInstance("web1");
        await Instances.AddAsync(instance, Ct);
        var first = new InstanceFault(instance.Id, 500, "first", T0);
        var second = new InstanceFault(instance.Id, 500, "second", T0.AddSeconds(1), "details");
        var sameMoment = new InstanceFault(instance.Id, 409, "same moment", T0.AddSeconds(1));

        await Instances.AddFaultAsync(first, Ct);
        await Instances.AddFaultAsync(second, Ct);
        await Instances.AddFaultAsync(sameMoment, Ct);

        (await Instances.ListFaultsAsync(instance.Id, Ct)).ShouldBe([sameMoment, second, first], "newest first; of two at one moment, the later added first");
        (await KindOf(() => Instances.AddFaultAsync(first with { InstanceId = Guid.NewGuid() }, Ct))).ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Flavors_read_back_by_id_and_name_and_a_taken_id_or_name_is_a_conflict()
    {
        var tiny = AFlavor("c1", "contract.tiny") with { ExtraSpecs = new Dictionary<string, string> { ["hw:cpu_mode"] = "host-model" }, Description = "tiny" };
        await Flavors.AddAsync(tiny, Ct);

        var read = await Flavors.GetAsync("c1", Ct);
        read.ShouldNotBeNull();
        read.Name.ShouldBe("contract.tiny");
        read.ExtraSpecs.ShouldBe(tiny.ExtraSpecs);
        read.Description.ShouldBe("tiny");
        (await Flavors.FindByNameAsync("contract.tiny", Ct))!.Id.ShouldBe("c1");
        (await Flavors.GetAsync("contract.tiny", Ct)).ShouldBeNull("ids and names are separate");
        (await KindOf(() => Flavors.AddAsync(AFlavor("c1", "contract.other"), Ct))).ShouldBe(ErrorKind.Conflict);
        (await KindOf(() => Flavors.AddAsync(AFlavor("c9", "contract.tiny"), Ct))).ShouldBe(ErrorKind.Conflict);
        (await Flavors.GetAsync("c9", Ct)).ShouldBeNull("a refused add keeps nothing");
    }

    [Fact]
    public async Task Flavors_are_listed_shorter_ids_first_so_numeric_ids_are_in_numeric_order()
    {
        string[] ids = ["906", "x1", "97"];
        foreach (var id in ids)
        {
            await Flavors.AddAsync(AFlavor(id, "contract." + id), Ct);
        }

        (await Flavors.ListAsync(Ct)).Select(f => f.Id).Where(ids.Contains).ShouldBe(["97", "x1", "906"]);
    }

    [Fact]
    public async Task Deleting_a_flavor_says_whether_there_was_one()
    {
        await Flavors.AddAsync(AFlavor("c2", "contract.delete"), Ct);

        (await Flavors.DeleteAsync("c2", Ct)).ShouldBeTrue();
        (await Flavors.DeleteAsync("c2", Ct)).ShouldBeFalse();
        (await Flavors.GetAsync("c2", Ct)).ShouldBeNull();
        await Flavors.AddAsync(AFlavor("c2", "contract.delete"), Ct);
    }

    [Fact]
    public async Task Images_read_back_several_share_a_name_and_they_are_listed_newest_first()
    {
        var old = AnImage("cirros", T0);
        var young = AnImage("cirros", T0.AddSeconds(1));
        var other = AnImage("debian", T0.AddSeconds(2));
        await Images.AddAsync(old, Ct);
        await Images.AddAsync(other, Ct);
        await Images.AddAsync(young, Ct);

        var read = await Images.GetAsync(old.Id, Ct);
        read.ShouldNotBeNull();
        read.Name.ShouldBe("cirros");
        read.Sha256.ShouldBe(old.Sha256);
        read.Properties.ShouldBe(old.Properties);
        read.CreatedAt.ShouldBe(old.CreatedAt);
        read.Owner.ShouldBe("projA");
        read.Visibility.ShouldBe(Core.Tenancy.ImageVisibility.Community);
        (await Images.FindByNameAsync("cirros", Ct)).Select(i => i.Id).ShouldBe([young.Id, old.Id]);
        (await Images.ListAsync(Ct)).Select(i => i.Id).ShouldBe([other.Id, young.Id, old.Id]);
        (await Images.GetAsync(Guid.NewGuid(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Image_add_update_and_delete_keep_the_registry_rules()
    {
        var image = AnImage("cirros", T0);
        await Images.AddAsync(image, Ct);

        (await KindOf(() => Images.AddAsync(image with { Name = "again" }, Ct))).ShouldBe(ErrorKind.Conflict);
        await Images.UpdateAsync(image with { Name = "renamed", Properties = new Dictionary<string, string>(), Visibility = Core.Tenancy.ImageVisibility.Public, Owner = "projB" }, Ct);
        var read = await Images.GetAsync(image.Id, Ct);
        read!.Name.ShouldBe("renamed");
        read.Visibility.ShouldBe(Core.Tenancy.ImageVisibility.Public);
        read.Owner.ShouldBe("projB");
        read.Properties.ShouldBeEmpty("an update replaces the properties");
        (await KindOf(() => Images.UpdateAsync(AnImage("nowhere", T0), Ct))).ShouldBe(ErrorKind.NotFound);
        (await Images.DeleteAsync(image.Id, Ct)).ShouldBeTrue();
        (await Images.DeleteAsync(image.Id, Ct)).ShouldBeFalse();
        (await Images.GetAsync(image.Id, Ct)).ShouldBeNull();
    }

    private static async Task<ErrorKind?> KindOf(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (VireoException e)
        {
            return e.Kind;
        }
    }
}

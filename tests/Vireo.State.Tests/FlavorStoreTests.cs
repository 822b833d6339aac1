using Vireo.Core;

namespace Vireo.State.Tests;

public sealed class FlavorStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task The_default_flavors_are_novas_with_a_small_m1_tiny()
    {
        var flavors = await _database.Open().Flavors.ListAsync(Ct);

        flavors.Select(flavor => (flavor.Id, flavor.Name, flavor.Vcpus, flavor.MemoryMiB, flavor.RootDiskGiB)).ShouldBe(
        [
            ("1", "m1.tiny", 1, 128, 1),
            ("2", "m1.small", 1, 2048, 20),
            ("3", "m1.medium", 2, 4096, 40),
            ("4", "m1.large", 4, 8192, 80),
            ("5", "m1.xlarge", 8, 16384, 160),
        ]);
        flavors.ShouldAllBe(flavor => flavor.EphemeralGiB == 0 && flavor.SwapMiB == 0 && flavor.IsPublic && flavor.ExtraSpecs.Count == 0);
    }

    [Fact]
    public async Task Flavors_are_found_by_id_or_by_name()
    {
        var store = _database.Open().Flavors;

        (await store.GetAsync("1", Ct)).ShouldNotBeNull().Name.ShouldBe("m1.tiny");
        (await store.FindByNameAsync("m1.small", Ct)).ShouldNotBeNull().Id.ShouldBe("2");
        (await store.GetAsync("m1.tiny", Ct)).ShouldBeNull();
        (await store.FindByNameAsync("m1.huge", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task An_added_flavor_keeps_its_extra_specs()
    {
        var store = _database.Open().Flavors;
        var flavor = new Flavor("42", "c1.pinned", 2, 1024, 10, 5, 512,
            new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated", ["hw:mem_page_size"] = "large" }, IsPublic: false, "pinned CPUs");

        await store.AddAsync(flavor, Ct);

        var read = (await store.GetAsync("42", Ct)).ShouldNotBeNull();
        read.ExtraSpecs.ShouldBe(flavor.ExtraSpecs, ignoreOrder: true);
        (read with { ExtraSpecs = flavor.ExtraSpecs }).ShouldBe(flavor);
        (await store.ListAsync(Ct)).Select(listed => listed.Id).ShouldBe(["1", "2", "3", "4", "5", "42"]);
    }

    [Fact]
    public async Task A_deleted_flavor_is_gone_with_its_extra_specs_and_its_id_can_be_reused()
    {
        var store = _database.Open().Flavors;
        var flavor = new Flavor("42", "c1.pinned", 2, 1024, 10, 5, 512,
            new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated" }, IsPublic: true, null);
        await store.AddAsync(flavor, Ct);

        (await store.DeleteAsync("42", Ct)).ShouldBeTrue();
        (await store.GetAsync("42", Ct)).ShouldBeNull();
        (await store.DeleteAsync("42", Ct)).ShouldBeFalse();
        await store.AddAsync(flavor with { ExtraSpecs = new Dictionary<string, string>() }, Ct);
        (await store.GetAsync("42", Ct)).ShouldNotBeNull().ExtraSpecs.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_taken_flavor_id_or_name_is_a_conflict()
    {
        var store = _database.Open().Flavors;

        (await Should.ThrowAsync<VireoException>(() => store.AddAsync(new Flavor("1", "other", 1, 64, 1, 0, 0, Flavor.NoExtraSpecs), Ct))).Kind.ShouldBe(ErrorKind.Conflict);
        (await Should.ThrowAsync<VireoException>(() => store.AddAsync(new Flavor("9", "m1.tiny", 1, 64, 1, 0, 0, Flavor.NoExtraSpecs), Ct))).Kind.ShouldBe(ErrorKind.Conflict);
    }

    [Fact]
    public async Task A_flavor_with_no_memory_is_invalid_input()
    {
        var store = _database.Open().Flavors;
        var refusal = await Should.ThrowAsync<VireoException>(() => store.AddAsync(new Flavor("9", "empty", 1, 0, 1, 0, 0, Flavor.NoExtraSpecs), Ct));
        refusal.Kind.ShouldBe(ErrorKind.InvalidInput);
    }
}

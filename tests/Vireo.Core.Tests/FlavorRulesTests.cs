namespace Vireo.Core.Tests;

public sealed class FlavorRulesTests
{
    private static readonly Flavor[] Catalog =
    [
        new("1", "m1.tiny", 1, 512, 1, 0, 0, Flavor.NoExtraSpecs),
        new("2", "m1.small", 1, 2048, 20, 0, 0, Flavor.NoExtraSpecs),
    ];

    [Theory]
    [InlineData("1", "other", "flavor id '1' is taken by flavor 'm1.tiny' (id 1)")]
    [InlineData("9", "m1.small", "flavor name 'm1.small' is taken by flavor 'm1.small' (id 2)")]
    [InlineData("m1.tiny", "other", "flavor id 'm1.tiny' is the name of flavor 'm1.tiny' (id 1)")]
    [InlineData("9", "2", "flavor name '2' is the id of flavor 'm1.small' (id 2)")]
    public void A_clash_with_any_id_or_name_is_refused_with_a_sentence(string id, string name, string expected) =>
        FlavorRules.Clash(Catalog, Make(id, name)).ShouldNotBeNull().ShouldStartWith(expected);

    [Theory]
    [InlineData("3", "m1.medium")]
    [InlineData("M1.TINY", "m1.Tiny")]
    public void A_flavor_whose_id_and_name_are_new_fits(string id, string name) =>
        FlavorRules.Clash(Catalog, Make(id, name)).ShouldBeNull();

    [Fact]
    public async Task The_compute_service_refuses_a_clashing_create_as_a_conflict_and_keeps_the_catalog()
    {
        var host = new FakeHost();
        var service = host.Service();
        await service.CreateFlavorAsync(Make("big", "m1.big"), Callers.Admin, CancellationToken.None);

        var refusal = await Should.ThrowAsync<VireoException>(() => service.CreateFlavorAsync(Make("m1.big", "bigger"), Callers.Admin, CancellationToken.None));

        refusal.Kind.ShouldBe(ErrorKind.Conflict);
        (await service.ShowFlavorAsync("m1.big", Callers.Admin, CancellationToken.None)).Id.ShouldBe("big");
        (await service.ListFlavorsAsync(Callers.Admin, CancellationToken.None)).ShouldNotContain(flavor => flavor.Name == "bigger");
    }

    private static Flavor Make(string id, string name) => new(id, name, 1, 512, 1, 0, 0, Flavor.NoExtraSpecs);
}

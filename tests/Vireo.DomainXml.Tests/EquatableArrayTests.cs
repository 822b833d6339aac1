namespace Vireo.DomainXml.Tests;

public sealed class EquatableArrayTests
{
    [Fact]
    public void Arrays_with_the_same_items_are_equal_and_hash_alike()
    {
        EquatableArray<string> a = ["x", "y"];
        EquatableArray<string> b = new[] { "x", "y" }.ToEquatableArray();

        (a == b).ShouldBeTrue();
        a.GetHashCode().ShouldBe(b.GetHashCode());
    }

    [Fact]
    public void Order_matters_for_plain_lists()
    {
        EquatableArray<string> a = ["x", "y"];

        a.ShouldNotBe(["y", "x"]);
    }

    [Fact]
    public void The_default_value_is_an_empty_list()
    {
        default(EquatableArray<int>).ShouldBe(EquatableArray<int>.Empty);
        default(EquatableArray<int>).Count.ShouldBe(0);
    }
}

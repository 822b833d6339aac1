namespace Vireo.Virt.Tests;

public sealed class ImagePropertiesTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("TRUE", true)]
    [InlineData("On", true)]
    [InlineData("y", true)]
    [InlineData("Yes", true)]
    [InlineData("  yes\t", true)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("2", false)]
    [InlineData("yes please", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Booleans_parse_like_oslo_bool_from_string(string? value, bool expected)
    {
        ImageProperties.IsTrue(value).ShouldBe(expected);
    }

    [Fact]
    public void A_missing_property_is_false()
    {
        ImageProperties.IsTrue(new Dictionary<string, string>(), ImageProperties.QemuGuestAgent).ShouldBeFalse();
    }
}

using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Tests;

public sealed class ImageSectionTests
{
    [Fact]
    public void The_image_limits_default_to_glances_values()
    {
        var result = Fixture.Text("");

        result.Options!.Image.ImageSizeCapBytes.ShouldBe(1099511627776);
        result.Options.Image.ImagePropertyQuota.ShouldBe(128);
        result.Options.Image.MaxConcurrentUploads.ShouldBe(4);
    }

    [Fact]
    public void A_cap_beyond_32_bits_and_an_unlimited_property_quota_are_read()
    {
        var result = Fixture.Text("[image]\nimage_size_cap = 10995116277760\nimage_property_quota = -1\nmax_concurrent_uploads = 2\n");

        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        result.Options!.Image.ImageSizeCapBytes.ShouldBe(10995116277760);
        result.Options.Image.ImagePropertyQuota.ShouldBe(-1);
        result.Options.Image.MaxConcurrentUploads.ShouldBe(2);
    }

    [Theory]
    [InlineData("image_size_cap = 0")]
    [InlineData("image_property_quota = -2")]
    [InlineData("max_concurrent_uploads = 0")]
    public void Values_out_of_range_are_errors_naming_the_option(string line)
    {
        var result = Fixture.Text("[image]\n" + line + "\n");

        result.Errors.ShouldNotBeEmpty();
        Fixture.Describe(result).ShouldContain(line.Split(' ')[0]);
        NovaOptions.IsKnownGroup("image").ShouldBeTrue();
    }
}

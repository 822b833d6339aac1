namespace Vireo.Core.Tests;

public sealed class ImageLimitsTests
{
    [Theory]
    [InlineData(0, 10, false)]
    [InlineData(10, 10, false)]
    [InlineData(11, 10, true)]
    [InlineData(long.MaxValue, 1L << 40, true)]
    public void The_cap_itself_fits_and_one_byte_more_does_not(long size, long cap, bool over)
    {
        ImageLimits.IsOverCap(size, cap).ShouldBe(over);
    }

    [Theory]
    [InlineData(128, 128, false)]
    [InlineData(129, 128, true)]
    [InlineData(1, 0, true)]
    [InlineData(100000, -1, false)]
    public void The_property_quota_allows_up_to_its_count_and_minus_one_is_no_limit(int count, int quota, bool over)
    {
        ImageLimits.IsOverPropertyQuota(count, quota).ShouldBe(over);
    }

    [Fact]
    public void Refusals_are_too_large_in_glances_words()
    {
        var cap = ImageLimits.SizeCapExceeded(1024);
        var quota = Should.Throw<VireoException>(() => ImageLimits.EnsurePropertyQuota(129, 128));

        cap.Kind.ShouldBe(ErrorKind.TooLarge);
        cap.Message.ShouldStartWith("The incoming image is too large: The provided image is too large.");
        cap.Message.ShouldContain("1024 bytes ([image] image_size_cap)");
        quota.Kind.ShouldBe(ErrorKind.TooLarge);
        quota.Message.ShouldBe("The limit has been exceeded on the number of allowed image properties. Attempted: 129, Maximum: 128");
        ErrorKinds.HttpStatus(ErrorKind.TooLarge).ShouldBe(413);
    }
}

using CsCheck;

namespace Vireo.Virt.Tests;

public sealed class GuestNamesTests
{
    private static readonly Guid Id = Guid.Parse("5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c");

    [Theory]
    [InlineData("web-1", "vireo-web-1-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    [InlineData("My Server_01", "vireo-my-server-01-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    [InlineData("--odd--name--", "vireo-odd-name-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    [InlineData("a-very-long-server-name-indeed", "vireo-a-very-long-serv-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    [InlineData("", "vireo-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    [InlineData("ünïcödé", "vireo-n-c-d-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    [InlineData("日本", "vireo-5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c")]
    public void Name_is_prefix_sanitised_server_name_and_full_uuid(string serverName, string expected)
    {
        GuestNames.DomainName(Id, serverName).ShouldBe(expected);
    }

    [Fact]
    public void Any_server_name_gives_a_short_safe_name_that_ends_with_the_uuid()
    {
        Gen.Select(Gen.String, Gen.Guid).Sample((name, id) =>
        {
            var domain = GuestNames.DomainName(id, name);
            return domain.Length <= 59
                && domain.StartsWith("vireo-", StringComparison.Ordinal)
                && domain.EndsWith("-" + id.ToString("D"), StringComparison.Ordinal)
                && domain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                && !domain.Contains("--", StringComparison.Ordinal);
        });
    }
}

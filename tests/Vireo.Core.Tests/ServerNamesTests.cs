namespace Vireo.Core.Tests;

public sealed class ServerNamesTests
{
    [Theory]
    [InlineData("web1")]
    [InlineData("my server")]
    [InlineData("db-01.example")]
    [InlineData("ünïcode")]
    public void Ordinary_names_are_accepted(string name) => ServerNames.Problem(name).ShouldBeNull();

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData(" web1", "white space")]
    [InlineData("web1\t", "white space")]
    [InlineData("we\u0001b", "control character")]
    [InlineData("0c6f1e0e-2d47-4c5a-9d0a-2c6f0f1a2b3c", "looks like a server id")]
    public void Bad_names_are_refused_with_the_reason(string name, string reason)
    {
        var refusal = Should.Throw<VireoException>(() => ServerNames.EnsureValid(name));
        refusal.Kind.ShouldBe(ErrorKind.InvalidInput);
        refusal.Message.ShouldContain(reason);
    }

    [Fact]
    public void Names_longer_than_novas_column_are_refused()
    {
        ServerNames.Problem(new string('a', 255)).ShouldBeNull();
        ServerNames.Problem(new string('a', 256)).ShouldNotBeNull().ShouldContain("at most 255");
    }
}

using Vireo.Configuration.Options;

namespace Vireo.Configuration.Tests;

public class RealFileTests
{
    [Fact]
    public void A_deployed_nova_conf_loads_with_warnings_only()
    {
        var result = Fixture.Load("good/openstack-deployed.conf");
        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        result.Options.ShouldNotBeNull();
        TestContext.Current.TestOutputHelper?.WriteLine(Fixture.Describe(result));
    }
}

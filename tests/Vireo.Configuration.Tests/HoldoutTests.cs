namespace Vireo.Configuration.Tests;

/// <summary>
/// A bad file written apart from the development of the checks (Fixtures/holdout), with the diagnostics an operator
/// should get: it checks that the rules generalise beyond the catalogue they were developed against.
/// </summary>
public class HoldoutTests
{
    [Fact]
    public void Holdout_file_is_rejected_with_every_error_at_its_line()
    {
        var result = BadFileCatalogueTests.Check("holdout/operator-mistakes.conf");
        result.Options.ShouldBeNull();
    }
}

using Vireo.Core.Compute;

namespace Vireo.Core.Tests;

public sealed class DependencyRuleTests
{
    [Fact]
    public void Core_references_nothing_but_the_base_library_and_logging_abstractions()
    {
        // ILogger (abstractions only, no provider) so Core's handled failures are logged with event ids.
        var references = typeof(ComputeService).Assembly.GetReferencedAssemblies().Select(name => name.Name ?? string.Empty);
        references.Where(name => !name.StartsWith("System", StringComparison.Ordinal) && name != "netstandard"
            && name != "Microsoft.Extensions.Logging.Abstractions").ShouldBeEmpty();
    }
}

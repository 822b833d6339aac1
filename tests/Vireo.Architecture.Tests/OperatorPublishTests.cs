using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Vireo.Architecture.Tests;

/// <summary>
/// Operators publish `vireo` with Native AOT (README, "Using it"): every CLI call is a new process,
/// and the native executable starts in tens of milliseconds where the ReadyToRun build takes
/// hundreds. The project file makes that publish self-contained without ReadyToRun, and the
/// whole-system benchmark of create times publishes `vireo` the same way, so what it measures is
/// what operators run.
/// </summary>
public sealed class OperatorPublishTests
{
    private const string AotPublish = "dotnet publish src/Vireo.Cli -c Release -p:PublishAot=true";

    [Fact]
    public void The_readme_publishes_vireo_with_native_aot()
    {
        var publishLines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"))
            .Where(line => line.TrimStart().StartsWith("dotnet publish src/Vireo.Cli", StringComparison.Ordinal))
            .ToList();

        publishLines.ShouldNotBeEmpty();
        publishLines[0].ShouldStartWith(AotPublish);
    }

    [Fact]
    public void The_backends_benchmark_publishes_vireo_as_the_readme_does_unless_told_otherwise()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot(), "bench", "backends"));

        script.ShouldContain(AotPublish);
    }

    [Fact]
    public void A_native_aot_publish_is_self_contained_and_not_ready_to_run()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Vireo.Cli", "Vireo.Cli.csproj"));

        var aot = project.Root!.Elements("PropertyGroup")
            .Single(group => ((string?)group.Attribute("Condition"))?.Contains("'$(PublishAot)' == 'true'", StringComparison.Ordinal) == true);
        ((string?)aot.Element("SelfContained")).ShouldBe("true");
        ((string?)aot.Element("PublishReadyToRun")).ShouldBe("false");
        var readyToRun = project.Root.Elements("PropertyGroup")
            .Single(group => ((string?)group.Attribute("Condition"))?.Contains("'$(PublishAot)' != 'true'", StringComparison.Ordinal) == true);
        ((string?)readyToRun.Element("PublishReadyToRun")).ShouldBe("true");
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}

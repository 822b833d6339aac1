using Vireo.Configuration.Loading;
using Vireo.Configuration.Output;

namespace Vireo.Configuration.Tests;

/// <summary>docs/configuration.md and docs/nova.conf.sample follow the catalogue; VIREO_REGENERATE=1 rewrites them.</summary>
public class GeneratedDocumentTests
{
    private static bool Regenerate => Environment.GetEnvironmentVariable("VIREO_REGENERATE") == "1";

    [Fact]
    public void Reference_document_matches_the_catalogue()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "configuration.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var begin = text.IndexOf(ReferenceDocument.BeginMarker, StringComparison.Ordinal);
        var head = begin < 0 ? text : text[..begin];
        var expected = head + ReferenceDocument.Generate();
        if (Regenerate)
        {
            File.WriteAllText(path, expected);
        }
        text.ShouldBe(expected, "docs/configuration.md is out of date: run the tests with VIREO_REGENERATE=1");
    }

    [Fact]
    public void Sample_file_matches_the_catalogue()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "nova.conf.sample");
        var expected = SampleFile.Generate();
        if (Regenerate)
        {
            File.WriteAllText(path, expected);
        }
        File.ReadAllText(path).ReplaceLineEndings("\n").ShouldBe(expected, "docs/nova.conf.sample is out of date: run the tests with VIREO_REGENERATE=1");
    }

    [Fact]
    public void Sample_file_loads_without_any_diagnostic()
    {
        var result = NovaConfig.Load("nova.conf.sample", SampleFile.Generate());
        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        result.Warnings.ShouldBeEmpty(Fixture.Describe(result));
    }

    [Fact]
    public void Sample_file_with_every_static_default_uncommented_loads_the_defaults()
    {
        var uncommented = string.Join('\n', SampleFile.Generate().Split('\n')
            .Select(line => line.StartsWith('#') && line.Contains(" = ", StringComparison.Ordinal) && !line.Contains(" = <", StringComparison.Ordinal) && !line.StartsWith("# ", StringComparison.Ordinal)
                ? line[1..]
                : line));
        var result = NovaConfig.Load("nova.conf", uncommented);
        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        Fixture.Canonical(result.Options).ShouldBe(Fixture.Canonical(NovaConfig.Load("empty.conf", "").Options), "uncommented defaults should equal no file at all");
        result.Warnings.ShouldAllBe(w => w.Code == DiagnosticCodes.NotImplemented);
    }

    [Fact]
    public void Every_mistake_in_the_document_gets_its_diagnostic()
    {
        foreach (var mistake in ReferenceDocument.Mistakes)
        {
            var result = NovaConfig.Load("/etc/nova/nova.conf", mistake.Conf);
            result.Errors.Concat(result.Warnings).ShouldContain(d => d.Code == mistake.Code, mistake.Title);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vireo.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (Vireo.slnx) is not above " + AppContext.BaseDirectory);
    }
}

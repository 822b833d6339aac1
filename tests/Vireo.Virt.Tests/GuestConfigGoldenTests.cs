using Vireo.DomainXml;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests;

public sealed class GuestConfigGoldenTests
{
    public static TheoryData<string> GoldenFiles => [.. GoldenCases.All.Keys, .. GoldenCases.RootDiskSources.Keys];

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Built_guest_matches_its_golden_file(string file)
    {
        Golden.AssertMatches(file, DomainXmlWriter.Format(GoldenCases.Build(file)));
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Golden_file_reads_back_to_the_definition_the_builder_made(string file)
    {
        Assert.SkipWhen(Golden.Regenerating, "golden files are being regenerated");

        DomainXmlReader.Parse(Golden.Read(file)).ShouldBe(GoldenCases.Build(file));
    }
}

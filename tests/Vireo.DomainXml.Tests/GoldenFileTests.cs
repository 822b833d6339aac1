using Vireo.DomainXml.Tests.TestSupport;

namespace Vireo.DomainXml.Tests;

public sealed class GoldenFileTests
{
    private static readonly Dictionary<string, Func<DomainDefinition>> Cases = new()
    {
        ["minimal-qemu-guest.xml"] = SampleDomains.MinimalQemuGuest,
        ["kvm-host-model-extra-features.xml"] = SampleDomains.KvmHostModelWithExtraFeatures,
        ["custom-cpu-nehalem.xml"] = SampleDomains.CustomNehalem,
        ["cpu-mode-none.xml"] = SampleDomains.CpuModeNone,
        ["memballoon-none.xml"] = SampleDomains.MemballoonNone,
    };

    public static TheoryData<string> GoldenFiles => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Formatted_domain_matches_its_golden_file(string file)
    {
        Golden.AssertMatches(file, DomainXmlWriter.Format(Cases[file]()));
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Golden_file_parses_back_to_the_definition_it_was_made_from(string file)
    {
        Assert.SkipWhen(Golden.Regenerating, "golden files are being regenerated");

        DomainXmlReader.Parse(Golden.Read(file)).ShouldBe(Cases[file]());
    }

    /// <summary>
    /// libvirt's own RNG validation (define --validate, the domain.rng of the installed libvirt),
    /// then libvirt's re-serialisation of the stored definition must read back to the same model.
    /// </summary>
    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public async Task Golden_file_is_accepted_by_libvirt_and_its_dumpxml_parses_back_to_the_definition(string file)
    {
        TestDriverVirsh.SkipUnlessInstalled();
        Assert.SkipWhen(Golden.Regenerating, "golden files are being regenerated");
        var definition = Cases[file]();

        var (exitCode, output) = await TestDriverVirsh.RunAsync(
            $"define --validate '{RepositoryPaths.Golden(file)}'; dumpxml {definition.Name}");

        exitCode.ShouldBe(0, $"{file}: {output}");
        DomainXmlReader.Parse(output[output.IndexOf("<domain", StringComparison.Ordinal)..]).ShouldBe(definition);
    }
}

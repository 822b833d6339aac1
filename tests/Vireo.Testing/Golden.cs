using Shouldly;

namespace Vireo.Testing;

/// <summary>
/// Golden files for generated XML. With VIREO_REGENERATE_GOLDEN=1 the files are rewritten from
/// the current output instead of compared (libvirt's VIR_TEST_REGENERATE_OUTPUT); review the diff.
/// </summary>
public static class Golden
{
    public const string RegenerateVariable = "VIREO_REGENERATE_GOLDEN";

    public static bool Regenerating => Environment.GetEnvironmentVariable(RegenerateVariable) == "1";

    public static void AssertMatches(string fileName, string actualXml)
    {
        var path = RepositoryPaths.Golden(fileName);
        if (Regenerating)
        {
            File.WriteAllText(path, actualXml.EndsWith('\n') ? actualXml : actualXml + "\n");
            return;
        }

        File.Exists(path).ShouldBeTrue($"golden file {path} is missing; run the tests with {RegenerateVariable}=1 to create it");
        XmlSemantic.Canonical(actualXml).ShouldBe(
            XmlSemantic.Canonical(File.ReadAllText(path)),
            $"output differs from {path}; if the change is intended, rerun with {RegenerateVariable}=1 and review the diff");
    }

    public static string Read(string fileName) => File.ReadAllText(RepositoryPaths.Golden(fileName));
}

namespace Vireo.HostCheck.Tests;

/// <summary>
/// Golden files for text and JSON output, compared exactly (line endings aside). With
/// VIREO_REGENERATE_GOLDEN=1 they are rewritten from the current output, as <see cref="Golden"/> does for XML.
/// </summary>
internal static class TextGolden
{
    public static void AssertMatches(string fileName, string actual)
    {
        var path = RepositoryPaths.Golden(fileName);
        if (Golden.Regenerating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual.EndsWith('\n') ? actual : actual + "\n");
            return;
        }

        File.Exists(path).ShouldBeTrue($"golden file {path} is missing; run the tests with {Golden.RegenerateVariable}=1 to create it");
        Normalize(actual).ShouldBe(
            Normalize(File.ReadAllText(path)),
            $"output differs from {path}; if the change is intended, rerun with {Golden.RegenerateVariable}=1 and review the diff");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
}

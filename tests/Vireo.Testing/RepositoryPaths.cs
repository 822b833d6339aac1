using System.Reflection;

namespace Vireo.Testing;

/// <summary>Test data is read from (and regenerated into) the source tree, not the build output.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    /// <summary>The source folder of the running test project (tests/&lt;its assembly name&gt;).</summary>
    public static string TestProject =>
        Path.Combine(Root.Value, "tests", Assembly.GetEntryAssembly()?.GetName().Name
            ?? throw new InvalidOperationException("no entry assembly: run the tests through their test project"));

    public static string Golden(string fileName) => Path.Combine(TestProject, "Golden", fileName);

    public static string Sample(string fileName) => Path.Combine(TestProject, "Samples", fileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vireo.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Vireo.slnx above {AppContext.BaseDirectory}; tests must run from the repository");
    }
}

namespace Vireo.Virt.Tests.TestSupport;

/// <summary>Test data is read from (and regenerated into) the source tree, not the build output.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    public static string TestProject => Path.Combine(Root.Value, "tests", "Vireo.Virt.Tests");

    public static string Golden(string fileName) => Path.Combine(TestProject, "Golden", fileName);

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

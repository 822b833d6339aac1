using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Vireo.Architecture.Tests;

/// <summary>
/// Every product project is built with the trimming, Native AOT and single-file analyzers on
/// (<c>IsAotCompatible</c>, which Directory.Build.props sets for everything under src/), and nothing
/// switches them off or hides what they report: code added later cannot need reflection that a
/// trimmed or ahead-of-time compiled <c>vireo</c> cannot do.
/// </summary>
public sealed partial class AotCompatibilityTests
{
    /// <summary>Every project folder of src/, whether or not anything references it yet.</summary>
    public static TheoryData<string> SourceProjects() => new(ProjectNames());

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Every_src_project_is_built_aot_compatible(string project)
    {
        // The SDK writes the evaluated IsAotCompatible into the assembly as AssemblyMetadata("IsAotCompatible", "True").
        var name = AssemblyName(project);
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(name);
        }
        catch (FileNotFoundException exception)
        {
            throw new Xunit.Sdk.XunitException(
                $"src/{project} ({name}) is not built next to the architecture tests; add a ProjectReference to it in tests/Vireo.Architecture.Tests/Vireo.Architecture.Tests.csproj ({exception.Message})");
        }

        var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(attribute => attribute.Key == "IsAotCompatible")
            .Select(attribute => attribute.Value)
            .ToList();
        metadata.ShouldBe(["True"], $"src/{project} must be built with IsAotCompatible=true (Directory.Build.props sets it for every project under src/)");
    }

    [Fact]
    public void The_projects_of_src_are_found()
    {
        // Guards the theory above from passing on an empty or wrong folder.
        var projects = ProjectNames().ToList();
        projects.ShouldContain("Vireo.Cli");
        projects.ShouldContain("Vireo.Api");
        projects.Count.ShouldBeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public void No_build_file_switches_the_analyzers_off_or_silences_what_they_report()
    {
        var files = Directory.EnumerateFiles(SourceRoot(), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".csproj", StringComparison.Ordinal) || file.EndsWith(".props", StringComparison.Ordinal) || file.EndsWith(".targets", StringComparison.Ordinal))
            .Where(file => !IsBuildOutput(file))
            .Append(Path.Combine(SourceRoot(), "..", "Directory.Build.props"))
            .Append(Path.Combine(SourceRoot(), "..", "Directory.Build.targets"))
            .Where(File.Exists);

        var problems = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            problems.AddRange(SwitchedOff().Matches(text).Select(match => $"{Path.GetFileName(file)}: {match.Value}"));
            problems.AddRange(SilencedCodes().Matches(text).Select(match => $"{Path.GetFileName(file)}: {match.Value}"));
        }

        problems.ShouldBeEmpty("fix what the trim/AOT analyzers report, or isolate one call site with [UnconditionalSuppressMessage(..., Justification = ...)]");
    }

    [Fact]
    public void The_build_file_rule_recognises_a_switch_and_a_silenced_code()
    {
        SwitchedOff().IsMatch("<EnableAotAnalyzer> false </EnableAotAnalyzer>").ShouldBeTrue();
        SwitchedOff().IsMatch("<IsAotCompatible>true</IsAotCompatible>").ShouldBeFalse();
        SilencedCodes().IsMatch("<NoWarn>$(NoWarn);CA1707;IL2026</NoWarn>").ShouldBeTrue();
        SilencedCodes().IsMatch("<WarningsNotAsErrors>IL3050</WarningsNotAsErrors>").ShouldBeTrue();
        SilencedCodes().IsMatch("<NoWarn>$(NoWarn);CA1707</NoWarn>").ShouldBeFalse();
    }

    [Fact]
    public void No_source_file_silences_a_trim_or_aot_warning_without_a_justification()
    {
        var problems = new List<string>();
        foreach (var file in SourceFiles())
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file, cancellationToken: TestContext.Current.CancellationToken)
                .GetRoot(TestContext.Current.CancellationToken);
            problems.AddRange(root.DescendantTrivia()
                .Where(trivia => trivia.IsKind(SyntaxKind.PragmaWarningDirectiveTrivia))
                .Select(trivia => (PragmaWarningDirectiveTriviaSyntax)trivia.GetStructure()!)
                .Where(pragma => pragma.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword)
                    && pragma.ErrorCodes.Any(code => AnalyzerCode().IsMatch(code.ToString())))
                .Select(pragma => $"{Where(file, pragma)}: {pragma}"));
            problems.AddRange(root.DescendantNodes().OfType<AttributeSyntax>()
                .Where(attribute => attribute.Name.ToString() is "UnconditionalSuppressMessage" or "UnconditionalSuppressMessageAttribute"
                    or "SuppressMessage" or "SuppressMessageAttribute" or "System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage")
                .Where(attribute => attribute.ArgumentList?.Arguments.Any(a => AnalyzerCode().IsMatch(a.ToString())) == true)
                .Where(attribute => attribute.ArgumentList!.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "Justification")?.Expression
                    is not LiteralExpressionSyntax { Token.ValueText.Length: > 20 })
                .Select(attribute => $"{Where(file, attribute)}: {attribute} has no Justification saying why the call is safe"));
        }

        problems.ShouldBeEmpty("a suppression sits on the one call site and says why it is safe (Justification = \"...\"); a pragma hides it from review");
    }

    [GeneratedRegex(@"<(IsAotCompatible|IsTrimmable|EnableTrimAnalyzer|EnableAotAnalyzer|EnableSingleFileAnalyzer)>\s*false\s*</", RegexOptions.IgnoreCase)]
    private static partial Regex SwitchedOff();

    [GeneratedRegex(@"<(NoWarn|WarningsNotAsErrors)>[^<]*\bIL\d{4}\b[^<]*</")]
    private static partial Regex SilencedCodes();

    [GeneratedRegex(@"\bIL\d{4}\b")]
    private static partial Regex AnalyzerCode();

    private static IEnumerable<string> ProjectNames() =>
        Directory.EnumerateDirectories(SourceRoot())
            .Where(folder => File.Exists(Path.Combine(folder, Path.GetFileName(folder) + ".csproj")))
            .Select(folder => Path.GetFileName(folder))
            .Order(StringComparer.Ordinal);

    private static string AssemblyName(string project)
    {
        var csproj = XDocument.Load(Path.Combine(SourceRoot(), project, project + ".csproj"));
        return csproj.Descendants("AssemblyName").FirstOrDefault()?.Value ?? project;
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories).Where(file => !IsBuildOutput(file));

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static string Where(string file, SyntaxNode node) =>
        $"{Path.GetRelativePath(SourceRoot(), file)}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";

    private static string SourceRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "src"));
}

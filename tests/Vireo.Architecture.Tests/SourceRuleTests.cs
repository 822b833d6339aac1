using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Vireo.Architecture.Tests;

/// <summary>
/// Rules over the source of src/ that the compiler does not enforce, checked on Roslyn's syntax tree
/// (comments and strings cannot fool it): no failure is swallowed by an empty catch, and every log
/// event has an explicit, unique id in its project's range (docs/architecture.md: Logging).
/// </summary>
public sealed class SourceRuleTests
{
    // Each project's event id range; an operator's alert on an id must keep meaning the same event.
    private static readonly Dictionary<string, (int From, int To)> EventIdRanges = new(StringComparer.Ordinal)
    {
        ["Vireo.Core"] = (1000, 1999),
        ["Vireo.Virt"] = (2000, 2999),
        ["Vireo.Storage"] = (3000, 3999),
        ["Vireo.Api"] = (4000, 4999),
        ["Vireo.Cli"] = (5000, 5999),
        ["Vireo.State"] = (6000, 6999),
        ["Vireo.HostCheck"] = (7000, 7999),
        ["Vireo.CpuModels"] = (8000, 8999),
        ["Vireo.Identity"] = (9000, 9099),
    };

    [Fact]
    public void No_catch_block_in_src_is_empty()
    {
        var empty = Catches()
            .Where(c => c.Catch.Block.Statements.Count == 0)
            .Select(c => $"{c.Where}: {c.Catch.CatchKeyword}{c.Catch.Declaration}{c.Catch.Filter} {{ }}")
            .ToList();

        empty.ShouldBeEmpty("log the failure with a LoggerMessage event, rethrow it, or turn it into a value the caller sees");
    }

    [Fact]
    public void The_scanner_finds_the_catches_of_src()
    {
        // Guards the rule above from passing on an empty or wrong source tree.
        var catches = Catches().ToList();
        catches.Count.ShouldBeGreaterThan(100);
        catches.ShouldContain(c => c.Where.Contains("RevertScope.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_catch_is_recognised_even_with_only_a_comment_in_it()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            class C
            {
                void M()
                {
                    try { } catch (System.Exception) { /* nothing */ }
                    try { } catch { // nothing
                    }
                    try { } catch (System.Exception e) when (e is not null) { throw; }
                }
            }
            """, cancellationToken: TestContext.Current.CancellationToken);
        var counts = tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<CatchClauseSyntax>().Select(c => c.Block.Statements.Count).ToList();
        counts.ShouldBe([0, 0, 1]);
    }

    [Fact]
    public void Every_LoggerMessage_has_an_explicit_event_id_in_its_projects_range_and_no_id_is_used_twice()
    {
        var events = LoggerMessages().ToList();
        events.Count.ShouldBeGreaterThan(20);

        var problems = new List<string>();
        foreach (var (project, where, id) in events)
        {
            if (id is null)
            {
                problems.Add($"{where}: [LoggerMessage] without EventId = ...");
            }
            else if (EventIdRanges.TryGetValue(project, out var range) && (id < range.From || id > range.To))
            {
                problems.Add($"{where}: event id {id} is outside {project}'s range {range.From}-{range.To}");
            }
        }

        problems.AddRange(events.Where(e => e.Id is not null).GroupBy(e => e.Id)
            .Where(group => group.Count() > 1)
            .Select(group => $"event id {group.Key} is used by {string.Join(" and ", group.Select(e => e.Where))}"));
        problems.ShouldBeEmpty();
    }

    private static IEnumerable<(string Where, CatchClauseSyntax Catch)> Catches() =>
        from file in SourceFiles()
        let tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file)
        from clause in tree.GetRoot().DescendantNodes().OfType<CatchClauseSyntax>()
        select (Where(file, clause), clause);

    private static IEnumerable<(string Project, string Where, int? Id)> LoggerMessages() =>
        from file in SourceFiles()
        let tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file)
        from attribute in tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>()
        where attribute.Name.ToString() is "LoggerMessage" or "LoggerMessageAttribute"
        select (ProjectOf(file), Where(file, attribute), EventIdOf(attribute));

    private static int? EventIdOf(AttributeSyntax attribute)
    {
        var argument = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "EventId");
        return argument?.Expression switch
        {
            LiteralExpressionSyntax literal => int.Parse(literal.Token.ValueText, CultureInfo.InvariantCulture),
            // A named constant (EventId = ApiEvents.ServerError): the integer constant of that name declared in src/.
            MemberAccessExpressionSyntax member => IntegerConstants().GetValueOrDefault(member.Name.Identifier.Text),
            IdentifierNameSyntax name => IntegerConstants().GetValueOrDefault(name.Identifier.Text),
            _ => null,
        };
    }

    private static Dictionary<string, int?> IntegerConstants() =>
        (from file in SourceFiles()
         from field in CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>()
         where field.Modifiers.Any(m => m.Text == "const") && field.Declaration.Type.ToString() == "int"
         from variable in field.Declaration.Variables
         where variable.Initializer?.Value is LiteralExpressionSyntax
         select (variable.Identifier.Text, Value: (int?)int.Parse(((LiteralExpressionSyntax)variable.Initializer!.Value).Token.ValueText, CultureInfo.InvariantCulture)))
        .GroupBy(c => c.Text)
        .ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Value : null);

    private static string Where(string file, SyntaxNode node) =>
        $"{Path.GetRelativePath(SourceRoot(), file)}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";

    private static string ProjectOf(string file) => Path.GetRelativePath(SourceRoot(), file).Split(Path.DirectorySeparatorChar)[0];

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>src/ of this checkout, found from this file's own path at compile time.</summary>
    private static string SourceRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "src"));
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Vireo.Architecture.Tests;

/// <summary>
/// Finds, on Roslyn's semantic model, which option-record members each catalogue option is bound to (the
/// object initializers that read an <c>OptionDefinition</c> field), and which of those members code reads.
/// Members are named "Type.Member" (DefaultOptions.UseCowImages), catalogue fields "Class.Field" (Default.UseCowImages).
/// </summary>
internal static class OptionConsumers
{
    public const string OptionsNamespace = "Vireo.Configuration.Options";

    /// <summary>The usings every project gets from ImplicitUsings (Microsoft.NET.Sdk).</summary>
    public static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;"
        + " global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
        CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview));

    /// <summary>Catalogue field to the option-record members whose initializer reads it (directly or through a local).</summary>
    public static Dictionary<string, HashSet<string>> Bindings(Compilation configuration)
    {
        var bindings = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var tree in configuration.SyntaxTrees)
        {
            var model = configuration.GetSemanticModel(tree);
            foreach (var assignment in tree.GetRoot().DescendantNodes().OfType<AssignmentExpressionSyntax>()
                .Where(a => a.Parent is InitializerExpressionSyntax))
            {
                if (OptionsMember(model.GetSymbolInfo(assignment.Left).Symbol) is not { } member)
                {
                    continue;
                }
                foreach (var field in OptionFields(model, assignment.Right, []))
                {
                    if (!bindings.TryGetValue(field, out var members))
                    {
                        bindings[field] = members = new HashSet<string>(StringComparer.Ordinal);
                    }
                    members.Add(member);
                }
            }
        }
        return bindings;
    }

    /// <summary>Computed option-record members (EffectiveConnectionUri) to the members of the same records they read.</summary>
    public static Dictionary<string, HashSet<string>> Derivations(Compilation configuration)
    {
        var derived = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var tree in configuration.SyntaxTrees)
        {
            var model = configuration.GetSemanticModel(tree);
            foreach (var property in tree.GetRoot().DescendantNodes().OfType<PropertyDeclarationSyntax>())
            {
                SyntaxNode? body = property.ExpressionBody ?? (SyntaxNode?)property.AccessorList?.Accessors.FirstOrDefault(a => a.Keyword.IsKind(SyntaxKind.GetKeyword))?.Body;
                if (body is null || OptionsMember(model.GetDeclaredSymbol(property)) is not { } member)
                {
                    continue;
                }
                var read = body.DescendantNodes().OfType<IdentifierNameSyntax>()
                    .Select(n => OptionsMember(model.GetSymbolInfo(n).Symbol)).OfType<string>().Where(m => m != member);
                derived[member] = new HashSet<string>(read, StringComparer.Ordinal);
            }
        }
        return derived;
    }

    /// <summary>The option-record members read in the files of <paramref name="compilation"/> that <paramref name="counts"/> accepts.</summary>
    public static HashSet<string> ReadMembers(Compilation compilation, Func<string, bool> counts)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees.Where(t => counts(t.FilePath)))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                // Setting a member in an initializer or a with-expression is not reading it.
                if (name.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assignment && assignment.Left == name)
                {
                    continue;
                }
                var info = model.GetSymbolInfo(name);
                foreach (var symbol in info.CandidateSymbols.Prepend(info.Symbol))
                {
                    if (OptionsMember(symbol) is { } member)
                    {
                        read.Add(member);
                    }
                }
            }
        }
        return read;
    }

    /// <summary>The catalogue fields none of whose bound members is read, directly or through a computed member.</summary>
    public static List<string> Unconsumed(IEnumerable<string> fields, Dictionary<string, HashSet<string>> bindings,
        Dictionary<string, HashSet<string>> derivations, HashSet<string> read)
    {
        var reached = new HashSet<string>(read, StringComparer.Ordinal);
        var pending = new Queue<string>(read);
        while (pending.TryDequeue(out var member))
        {
            foreach (var source in derivations.GetValueOrDefault(member) ?? [])
            {
                if (reached.Add(source))
                {
                    pending.Enqueue(source);
                }
            }
        }
        return [.. fields.Where(f => !(bindings.GetValueOrDefault(f) ?? []).Any(reached.Contains))];
    }

    private static string? OptionsMember(ISymbol? symbol) =>
        symbol is IPropertySymbol property && property.ContainingType?.ContainingNamespace?.ToDisplayString() == OptionsNamespace
            ? $"{property.ContainingType.Name}.{property.Name}"
            : null;

    /// <summary>The OptionDefinition fields an expression reads, following locals to their initializers.</summary>
    private static IEnumerable<string> OptionFields(SemanticModel model, SyntaxNode expression, HashSet<ILocalSymbol> followed)
    {
        // A nested record's own initializer (LiveMigration = new LiveMigrationOptions { ... }) binds that record's members.
        foreach (var name in expression.DescendantNodesAndSelf(n => n is not InitializerExpressionSyntax).OfType<IdentifierNameSyntax>())
        {
            switch (model.GetSymbolInfo(name).Symbol)
            {
                case IFieldSymbol { IsStatic: true, Type.Name: "OptionDefinition" } field:
                    yield return $"{field.ContainingType.Name}.{field.Name}";
                    break;
                case ILocalSymbol local when followed.Add(local):
                    foreach (var declarator in local.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<VariableDeclaratorSyntax>())
                    {
                        if (declarator.Initializer is { } initializer)
                        {
                            foreach (var field in OptionFields(model, initializer.Value, followed))
                            {
                                yield return field;
                            }
                        }
                    }
                    break;
            }
        }
    }
}

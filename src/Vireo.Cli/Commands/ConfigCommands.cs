using System.CommandLine;
using System.Text.Json;
using Vireo.Cli.Output;
using Vireo.Cli.Serve;
using Vireo.Configuration;
using Vireo.Configuration.Loading;
using Vireo.Configuration.Output;

namespace Vireo.Cli.Commands;

/// <summary>`vireo config check` and `vireo config sample`: offline tools over nova.conf.</summary>
public static class ConfigCommands
{
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var config = new Command("config", "Check the nova.conf configuration or write a sample file.");
        config.Subcommands.Add(CheckCommand());
        config.Subcommands.Add(SampleCommand());
        root.Subcommands.Add(config);
    }

    private static Command CheckCommand()
    {
        var strict = new Option<bool>("--strict") { Description = "Treat every warning as an error." };
        var command = new Command("check",
            "Validate the configuration offline and print the effective value of every option with its source; exit 0 (warnings allowed) or 78 (errors).")
        {
            strict,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await WithImageBackendAsync(CliConfiguration.Load(parse, parse.GetValue(strict)), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(GlobalOptions.Json))
            {
                // Messages quote values ('x'); the output goes to a terminal or a file, never into HTML (relaxed escaping).
                Console.WriteLine(JsonSerializer.Serialize(ToJson(result, parse.GetValue(strict)), CliJsonContext.Output.ConfigCheckDocument));
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"vireo: the configuration has {result.Errors.Count} error(s).");
                }
            }
            else if (result.Succeeded)
            {
                PrintEffective(result);
                foreach (var warning in result.Warnings)
                {
                    Console.Error.WriteLine($"warning: {warning}");
                }
                Console.Error.WriteLine(result.Warnings.Count == 0
                    ? "vireo: the configuration is valid."
                    : $"vireo: the configuration is valid, with {result.Warnings.Count} warning(s).");
            }
            else
            {
                foreach (var error in result.Errors)
                {
                    Console.Error.WriteLine($"error: {error}");
                }
                // Warnings can explain an error: a misspelt key leaves the option it meant unset.
                foreach (var warning in result.Warnings)
                {
                    Console.Error.WriteLine($"warning: {warning}");
                }
                Console.Error.WriteLine($"vireo: the configuration has {result.Errors.Count} error(s) and {result.Warnings.Count} warning(s); fix every error and check again.");
            }
            return result.Succeeded ? ExitCodes.Success : ExitCodes.Configuration;
        });
        return command;
    }

    private static Command SampleCommand()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the sample to this file instead of standard output." };
        var command = new Command("sample", "Write a sample nova.conf with every option Vireo reads, commented out with its default and help.")
        {
            output,
        };
        command.SetAction(parse =>
        {
            var text = SampleFile.Generate();
            if (parse.GetValue(output) is { } path)
            {
                try
                {
                    File.WriteAllText(path, text);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"vireo: cannot write {path}: {e.Message}");
                    return ExitCodes.Failed;
                }
                Console.Error.WriteLine($"vireo: wrote {path}.");
            }
            else
            {
                Console.Write(text);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The image backend serve would refuse is an error here too, in the same sentence.</summary>
    private static async Task<ConfigurationResult> WithImageBackendAsync(ConfigurationResult result, CancellationToken cancellationToken)
    {
        if (result.Options is not { } options || !result.Succeeded)
        {
            return result;
        }

        var decision = await ImageBackendChoice.DecideAsync(options, cancellationToken).ConfigureAwait(false);
        return decision.Refusal is { } refusal
            ? result with { Errors = [.. result.Errors, ConfigDiagnostic.Error(ImageBackendNotServed, null, "libvirt", "images_type", refusal)] }
            : result;
    }

    /// <summary>The diagnostic code of an images_type whose backend this version or this host cannot serve.</summary>
    public const string ImageBackendNotServed = "rule.images-type-not-served";

    private static void PrintEffective(ConfigurationResult result)
    {
        Console.WriteLine(result.Files.Count == 0 ? "# no configuration file: defaults only" : $"# read {string.Join(", ", result.Files)}");
        var nameWidth = result.Effective.Max(e => e.Option.Name.Length);
        var valueWidth = Math.Min(48, result.Effective.Max(e => Shown(e).Length));
        foreach (var group in result.Effective.GroupBy(e => e.Option.Group))
        {
            Console.WriteLine();
            Console.WriteLine($"[{group.Key}]");
            foreach (var option in group)
            {
                var note = option.Sources.Count > 0 && !option.Implemented ? "  (not implemented yet)" : "";
                Console.WriteLine($"{option.Option.Name.PadRight(nameWidth)} = {Shown(option).PadRight(valueWidth)}  # {option.Source}{note}");
            }
        }
    }

    private static string Shown(EffectiveOption option) =>
        option.DisplayValue ?? (option.Option.DynamicDefault is { } dynamic ? $"<{dynamic}>" : "<unset>");

    private static ConfigCheckDocument ToJson(ConfigurationResult result, bool strict) => new(
        Valid: result.Succeeded,
        Strict: strict,
        Files: result.Files,
        Options: result.Succeeded
            ? result.Effective.Select(e => new ConfigOptionDocument(
                Section: e.Option.Group,
                Name: e.Option.Name,
                Value: e.DisplayValue,
                DynamicDefault: e.Option.DynamicDefault,
                Source: e.Source,
                Implemented: e.Implemented,
                Secret: e.Option.Secret != Configuration.Catalogue.SecretKind.None))
            : null,
        Errors: result.Errors.Select(ToJson),
        Warnings: result.Warnings.Select(ToJson));

    private static ConfigDiagnosticDocument ToJson(ConfigDiagnostic d) => new(
        Code: d.Code,
        Severity: d.Severity.ToString().ToLowerInvariant(),
        File: d.Location?.File,
        Line: d.Location?.Line,
        Section: d.Group,
        Option: d.Key,
        Message: d.Message,
        Text: d.ToString());
}

/// <summary>What <c>vireo config check --json</c> prints, key for key in this order.</summary>
internal sealed record ConfigCheckDocument(
    bool Valid,
    bool Strict,
    IReadOnlyList<string> Files,
    IEnumerable<ConfigOptionDocument>? Options,
    IEnumerable<ConfigDiagnosticDocument> Errors,
    IEnumerable<ConfigDiagnosticDocument> Warnings);

internal sealed record ConfigOptionDocument(string Section, string Name, string? Value, string? DynamicDefault, string Source, bool Implemented, bool Secret);

internal sealed record ConfigDiagnosticDocument(string Code, string Severity, string? File, int? Line, string? Section, string? Option, string Message, string Text);

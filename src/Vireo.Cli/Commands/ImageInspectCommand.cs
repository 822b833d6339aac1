using System.CommandLine;
using System.Globalization;
using Vireo.Cli.Output;
using Vireo.Core;
using Vireo.ImageFormats;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo image inspect FILE [--disk-format F] [--json]</c>: the offline format inspector.
/// Prints the detected format, the virtual size, whether the image is safe and every violation
/// by name; exit 0 when safe, 1 when unsafe or unreadable. The VMDK policy is
/// <c>[compute] vmdk_allowed_types</c> from the configuration files.
/// </summary>
public static class ImageInspectCommand
{
    /// <summary>What <c>--disk-format</c> accepts: the inspector's formats, QEMU's vpc and Glance's ami/aki/ari.</summary>
    private static readonly string[] DeclarableFormats = [.. DeclaredFormats.Names];

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The image file to inspect; at most 2 MiB of it is read, whatever its size." };
        var diskFormat = new Option<string?>("--disk-format")
        {
            Description = "The format the image is registered with (Glance's disk_format); content of another format is refused.",
        };
        diskFormat.AcceptOnlyFromAmong(DeclarableFormats);
        var command = new Command("inspect",
            "Detect an image file's format and virtual size offline and check it is safe to boot; exit 0 when safe, 1 when unsafe or unreadable.")
        {
            file, diskFormat,
        };
        command.SetAction(parse =>
        {
            var terminal = Terminal.For(parse);
            // Only [compute] vmdk_allowed_types matters here: configuration warnings (such as no
            // nova.conf at all, where the default applies) would only clutter the verdict.
            var loaded = CliConfiguration.Load(parse);
            if (loaded.Options is not { } configuration)
            {
                CliConfiguration.PrintErrors(loaded);
                return ExitCodes.Configuration;
            }

            var path = parse.GetValue(file)!;
            var options = new InspectOptions
            {
                DeclaredFormat = parse.GetValue(diskFormat),
                VmdkAllowedTypes = configuration.Compute.VmdkAllowedTypes,
            };
            InspectionResult result;
            try
            {
                using var stream = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.RandomAccess);
                result = ImageInspector.Inspect(stream, options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                terminal.Fail($"cannot read '{path.FullName}': {e.Message}");
                return ExitCodes.Failed;
            }

            Print(terminal, path.FullName, options.DeclaredFormat, result);
            return result.Safe ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static void Print(Terminal terminal, string path, string? declared, InspectionResult result)
    {
        if (terminal.Json)
        {
            terminal.WriteJson(new ImageInspectDocument(
                File: path,
                Format: result.DetectedFormat.Name(),
                Subformat: result.Subformat,
                DeclaredFormat: declared,
                VirtualSize: result.VirtualSizeBytes,
                Safe: result.Safe,
                Violations: result.Violations.Select(v => new ImageViolationDocument(v.Name, v.Message)),
                Matches: result.Matches.Select(m => m.Name()),
                QemuDriver: result.QemuDriver,
                BytesRead: result.BytesRead));
            return;
        }

        var output = terminal.Out;
        output.WriteLine($"file:         {path}");
        output.WriteLine($"format:       {result.DetectedFormat.Name()}{(result.Subformat is { } sub ? $" ({sub})" : string.Empty)}");
        output.WriteLine($"virtual_size: {(result.VirtualSizeBytes is { } size ? $"{size.ToString(CultureInfo.InvariantCulture)} ({Tables.Size(size)})" : "unknown")}");
        output.WriteLine($"safe:         {(result.Safe ? "true" : "false")}");
        output.WriteLine(result.Violations.Count == 0 ? "violations:   none" : "violations:");
        foreach (var violation in result.Violations)
        {
            output.WriteLine($"  {violation.Name}: {violation.Message}");
        }

        if (!result.Safe)
        {
            terminal.Error.WriteLine($"vireo: '{path}' is not safe to use: {result.Violations.Count} violation{(result.Violations.Count == 1 ? "" : "s")}.");
        }
    }
}

/// <summary>What <c>vireo image inspect --json</c> prints, key for key in this order.</summary>
internal sealed record ImageInspectDocument(
    string File,
    string Format,
    string? Subformat,
    string? DeclaredFormat,
    long? VirtualSize,
    bool Safe,
    IEnumerable<ImageViolationDocument> Violations,
    IEnumerable<string> Matches,
    string QemuDriver,
    long BytesRead);

internal sealed record ImageViolationDocument(string Name, string Message);

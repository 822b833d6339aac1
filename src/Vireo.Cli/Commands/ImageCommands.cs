using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Vireo.Api.Contracts;
using Vireo.Cli.Client;
using Vireo.Cli.Output;
using Vireo.Core;
using Vireo.Core.Tenancy;
using Vireo.ImageFormats;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo image import|list|show|delete</c>: client commands over <c>/image/v2</c>.</summary>
public static class ImageCommands
{
    public static void AddTo(RootCommand root) => AddTo(root, ClientSetup.Default);

    public static void AddTo(RootCommand root, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(root);
        var image = new Command("image", "Import, list, show, delete and inspect images; list the base image cache.");
        image.Subcommands.Add(Import(setup));
        image.Subcommands.Add(List(setup));
        image.Subcommands.Add(Show(setup));
        image.Subcommands.Add(Delete(setup));
        image.Subcommands.Add(ImageInspectCommand.Create());
        image.Subcommands.Add(ImageCacheCommand.Create(setup));
        root.Subcommands.Add(image);
    }

    private static Command Import(ClientSetup setup)
    {
        var name = new Argument<string>("NAME") { Description = "The image's name." };
        var file = new Option<FileInfo>("--file") { Description = "The image file to send; its bytes are streamed to the service.", Required = true };
        var diskFormat = new Option<string>("--disk-format")
        {
            Description = "The file's format (raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso), checked against its content here and by the service; detected from the content when not given.",
        };
        diskFormat.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !DiskFormats.IsAccepted(value))
            {
                result.AddError(DiskFormats.Refusal("--disk-format", value));
            }
        });
        var containerFormat = new Option<string>("--container-format") { Description = "The container format.", DefaultValueFactory = _ => "bare" };
        containerFormat.AcceptOnlyFromAmong([.. Api.Contracts.ImageFormats.ContainerFormats]);
        var properties = new Option<string[]>("--property")
        {
            Description = "A property key=value, e.g. hw_qemu_guest_agent=yes (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        properties.Validators.Add(result =>
        {
            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                var separator = pair.IndexOf('=', StringComparison.Ordinal);
                if (separator <= 0)
                {
                    result.AddError($"--property must be written key=value, e.g. hw_qemu_guest_agent=yes; got '{pair}'");
                    continue;
                }

                given[pair[..separator]] = pair[(separator + 1)..];
            }

            // The service checks the same; checked here too so nothing is sent for nothing.
            foreach (var problem in ImagePropertyRules.Problems(given))
            {
                result.AddError("--" + problem);
            }
        });
        var visibility = new Option<string>("--visibility")
        {
            Description = "Who else sees the image: private (the default, as Glance), shared, community, or public (admins only).",
        };
        visibility.AcceptOnlyFromAmong([.. ImageVisibilities.All]);
        var makePublic = new Option<bool>("--public") { Description = "Make the image public: --visibility public (admins only)." };
        var command = new Command("import", "Import an image from a local file, with a progress bar on standard error.")
        {
            name, file, diskFormat, containerFormat, properties, visibility, makePublic,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(makePublic) && result.GetValue(visibility) is { } chosen && chosen != "public")
            {
                result.AddError($"--public and --visibility {chosen} disagree; give one of them");
            }
        });
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var parse = run.Parse;
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new ClientFailure(ExitCodes.Usage, $"--file '{path.FullName}' does not exist; give the path of the image file");
            }

            // The inspector reads at most 2 MiB: an unsafe or mismatching file is refused before a
            // byte is sent, and the format is detected when not given. The service checks again.
            var declared = parse.GetValue(diskFormat);
            var imageName = parse.GetValue(name)!;
            var loaded = CliConfiguration.Load(parse);
            var vmdkAllowed = loaded.Options?.Compute.VmdkAllowedTypes ?? InspectOptions.DefaultVmdkAllowedTypes;
            var format = ImportPrecheck.Decide(imageName, path.FullName, declared, vmdkAllowed);
            if (declared is null)
            {
                run.Terminal.Error.WriteLine($"Detected disk_format {format} from the content of '{path.Name}' (give --disk-format to declare it yourself).");
            }

            var pairs = (parse.GetValue(properties) ?? [])
                .Select(pair => pair.Split('=', 2))
                .Select(parts => KeyValuePair.Create(parts[0], parts[1]))
                .ToList();
            await using var content = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var import = new ImageImport(imageName, format, parse.GetValue(containerFormat)!, pairs, content.Length)
            {
                Visibility = parse.GetValue(makePublic) ? "public" : parse.GetValue(visibility),
            };

            ImageView image;
            if (run.Terminal.Json)
            {
                image = await run.Client.ImportImageAsync(import, content, cancellationToken).ConfigureAwait(false);
            }
            else if (run.Terminal.ErrorConsole.Profile.Capabilities.Interactive)
            {
                image = await UploadWithProgressAsync(run, import, content, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // No terminal to redraw a bar on (a log, a pipe): one line when done.
                var clock = Stopwatch.StartNew();
                image = await run.Client.ImportImageAsync(import, content, cancellationToken).ConfigureAwait(false);
                run.Terminal.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Sent {Tables.Size(import.SizeBytes)} of '{import.Name}' in {clock.Elapsed.TotalSeconds:0.0} s."));
            }

            Print(run.Terminal, image);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<ImageView> UploadWithProgressAsync(ClientInvocation run, ImageImport import, Stream content, CancellationToken cancellationToken)
    {
        ImageView? image = null;
        await run.Terminal.ErrorConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"sending {import.Name}"), maxValue: Math.Max(1, import.SizeBytes ?? 1));
                await using var counted = new ProgressStream(content, sent => task.Value = sent);
                image = await run.Client.ImportImageAsync(import, counted, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return image!;
    }

    private static Command List(ClientSetup setup)
    {
        var command = new Command("list", "List the images, newest first.");
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var images = await run.Client.ListImagesAsync(name: null, cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(images);
            }
            else
            {
                run.Terminal.Write(Tables.List(
                    ["ID", "Name", "Status", "Disk format", "Size", "Virtual size"],
                    images.Select(image => new[] { image.Id, image.Name, image.Status, image.DiskFormat, Tables.Size(image.Size), Tables.Size(image.VirtualSize) })));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(ClientSetup setup)
    {
        var reference = new Argument<string>("IMAGE") { Description = "The image's id or name." };
        var command = new Command("show", "Show one image with its properties.") { reference };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            Print(run.Terminal, await run.Client.ShowImageAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(ClientSetup setup)
    {
        var reference = new Argument<string>("IMAGE") { Description = "The image's id or name." };
        var command = new Command("delete", "Delete an image; servers booted from it keep their disks.") { reference };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var image = await run.Client.ShowImageAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            await run.Client.DeleteImageAsync(image.Id, cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new DeletedResource("image", image.Id, image.Name ?? string.Empty));
            }
            else
            {
                run.Terminal.Say($"Deleted image '{image.Name}' ({image.Id}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(Terminal terminal, ImageView image)
    {
        if (terminal.Json)
        {
            terminal.WriteJson(image);
            return;
        }

        var fields = new List<(string, string?)>
        {
            ("id", image.Id),
            ("name", image.Name),
            ("status", image.Status),
            ("disk_format", image.DiskFormat),
            ("container_format", image.ContainerFormat),
            ("size", image.Size is { } size ? $"{Tables.Number(size)} ({Tables.Size(size)})" : null),
            ("virtual_size", image.VirtualSize is { } virtualSize ? $"{Tables.Number(virtualSize)} ({Tables.Size(virtualSize)})" : null),
            ("min_disk (GiB)", Tables.Number(image.MinDisk)),
            ("min_ram (MiB)", Tables.Number(image.MinRam)),
            ("os_hash_value", image.OsHashValue is null ? null : $"{image.OsHashAlgo}:{image.OsHashValue}"),
            ("checksum (md5)", image.Checksum),
            ("created_at", image.CreatedAt),
            ("updated_at", image.UpdatedAt),
        };
        fields.AddRange(image.Properties.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => (pair.Key, (string?)(pair.Value.ValueKind == System.Text.Json.JsonValueKind.String ? pair.Value.GetString() : pair.Value.GetRawText()))));
        terminal.Write(Tables.Fields(fields));
    }
}

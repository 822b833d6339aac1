using System.CommandLine;
using System.Globalization;
using Vireo.Api.Contracts;
using Vireo.Cli.Client;
using Vireo.Cli.Output;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo flavor list|show|create|delete</c>: client commands over <c>/v2.1/flavors</c>.</summary>
public static class FlavorCommands
{
    public static void AddTo(RootCommand root) => AddTo(root, ClientSetup.Default);

    public static void AddTo(RootCommand root, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(root);
        var flavor = new Command("flavor", "List, show, create and delete flavors (server sizes).");
        flavor.Subcommands.Add(List(setup));
        flavor.Subcommands.Add(Show(setup));
        flavor.Subcommands.Add(Create(setup));
        flavor.Subcommands.Add(Delete(setup));
        root.Subcommands.Add(flavor);
    }

    private static Command List(ClientSetup setup)
    {
        var command = new Command("list", "List every flavor, public or not.");
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var flavors = await run.Client.ListFlavorsAsync(cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(flavors);
            }
            else
            {
                run.Terminal.Write(Tables.List(
                    ["ID", "Name", "vCPUs", "RAM (MiB)", "Disk (GiB)", "Ephemeral (GiB)", "Swap (MiB)", "Public"],
                    flavors.Select(flavor => new[]
                    {
                        flavor.Id, flavor.Name, Tables.Number(flavor.Vcpus), Tables.Number(flavor.RamMiB), Tables.Number(flavor.DiskGiB),
                        Tables.Number(flavor.EphemeralGiB), Tables.Number(flavor.SwapMiB), flavor.IsPublic ? "yes" : "no",
                    })));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(ClientSetup setup)
    {
        var reference = new Argument<string>("FLAVOR") { Description = "The flavor's id or name." };
        var command = new Command("show", "Show one flavor.") { reference };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var flavor = await run.Client.ShowFlavorAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            Print(run.Terminal, flavor);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Create(ClientSetup setup)
    {
        var name = new Argument<string>("NAME") { Description = "The new flavor's name, e.g. m1.small." };
        var vcpus = Positive("--vcpus", "Virtual CPUs.", minimum: 1, required: true);
        var ram = Positive("--ram", "Memory in MiB.", minimum: 1, required: true);
        var disk = Positive("--disk", "Root disk in GiB (0: as large as the image).", minimum: 0, required: true);
        var ephemeral = Positive("--ephemeral", "Ephemeral disk in GiB.", minimum: 0, required: false);
        var swap = Positive("--swap", "Swap disk in MiB.", minimum: 0, required: false);
        var id = new Option<string?>("--id") { Description = "The flavor's id (default: a new UUID)." };
        var isPrivate = new Option<bool>("--private") { Description = "Make the flavor private (not listed by default)." };
        var command = new Command("create", "Create a flavor.") { name, vcpus, ram, disk, ephemeral, swap, id, isPrivate };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var parse = run.Parse;
            var request = new FlavorCreateRequest
            {
                Name = parse.GetValue(name)!,
                Vcpus = parse.GetValue(vcpus),
                RamMiB = parse.GetValue(ram),
                DiskGiB = parse.GetValue(disk),
                EphemeralGiB = parse.GetResult(ephemeral) is null ? null : parse.GetValue(ephemeral),
                SwapMiB = parse.GetResult(swap) is null ? null : parse.GetValue(swap),
                Id = parse.GetValue(id),
                IsPublic = parse.GetValue(isPrivate) ? false : null,
            };
            var flavor = await run.Client.CreateFlavorAsync(request, cancellationToken).ConfigureAwait(false);
            Print(run.Terminal, flavor);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(ClientSetup setup)
    {
        var reference = new Argument<string>("FLAVOR") { Description = "The flavor's id or name." };
        var command = new Command("delete", "Delete a flavor; servers made from it keep their size.") { reference };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var flavor = await run.Client.ShowFlavorAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            await run.Client.DeleteFlavorAsync(flavor.Id, cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new DeletedResource("flavor", flavor.Id, flavor.Name));
            }
            else
            {
                run.Terminal.Say($"Deleted flavor '{flavor.Name}' (id {flavor.Id}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(Terminal terminal, FlavorDetail flavor)
    {
        if (terminal.Json)
        {
            terminal.WriteJson(flavor);
            return;
        }

        terminal.Write(Tables.Fields(
        [
            ("id", flavor.Id),
            ("name", flavor.Name),
            ("vcpus", Tables.Number(flavor.Vcpus)),
            ("ram (MiB)", Tables.Number(flavor.RamMiB)),
            ("disk (GiB)", Tables.Number(flavor.DiskGiB)),
            ("ephemeral (GiB)", Tables.Number(flavor.EphemeralGiB)),
            ("swap (MiB)", Tables.Number(flavor.SwapMiB)),
            ("public", flavor.IsPublic ? "yes" : "no"),
        ]));
    }

    private static Option<int> Positive(string name, string description, int minimum, bool required)
    {
        var option = new Option<int>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum}, got {value}"));
            }
        });
        return option;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vireo.Api.Contracts;
using Vireo.Cli.Client;
using Vireo.Cli.Output;
using Vireo.Core;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo server create|list|show|start|stop|reboot|delete|console</c>: client commands
/// over <c>/v2.1/servers</c>. Mutations return once the service accepted them; <c>--wait</c>
/// polls until the outcome.
/// </summary>
public static class ServerCommands
{
    public static void AddTo(RootCommand root) => AddTo(root, ClientSetup.Default);

    public static void AddTo(RootCommand root, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(root);
        var server = new Command("server", "Create, list, show, start, stop, reboot, snapshot (image create) and delete servers.");
        server.Subcommands.Add(Create(setup));
        server.Subcommands.Add(List(setup));
        server.Subcommands.Add(Show(setup));
        server.Subcommands.Add(Power(setup, "start", "Start a stopped server.", (client, server, _, ct) => client.StartServerAsync(server, ct)));
        server.Subcommands.Add(Power(setup, "stop", "Stop a server: the guest OS is asked to shut down, then powered off after the shutdown timeout.", (client, server, _, ct) => client.StopServerAsync(server, ct)));
        server.Subcommands.Add(Power(setup, "reboot", "Reboot a server (--hard: power cycle it).", (client, server, hard, ct) => client.RebootServerAsync(server, hard, ct), withHard: true));
        server.Subcommands.Add(Delete(setup));
        server.Subcommands.Add(Console(setup));
        AgentCommands.AddTo(server, setup);
        ServerImageCommands.AddTo(server, setup);
        root.Subcommands.Add(server);
    }

    private static Command Create(ClientSetup setup)
    {
        var name = new Argument<string>("NAME") { Description = "The new server's name." };
        var image = new Option<string>("--image") { Description = "The image's id or name.", Required = true };
        var flavor = new Option<string>("--flavor") { Description = "The flavor's id or name.", Required = true };
        var wait = new Option<bool>("--wait") { Description = "Wait until the server is ACTIVE (exit 0) or ERROR (exit 1)." };
        var timeout = TimeoutOption();
        var command = new Command("create", "Create a server from an image and a flavor.") { name, image, flavor, wait, timeout };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var parse = run.Parse;
            var created = await run.Client.CreateServerAsync(
                new ServerCreateRequest { Name = parse.GetValue(name)!, ImageRef = parse.GetValue(image)!, FlavorRef = parse.GetValue(flavor)! },
                cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(wait))
            {
                await PrintAsync(run, await run.Client.ShowServerAsync(created.Id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var label = $"server '{parse.GetValue(name)}'";
            if (!run.Terminal.Json)
            {
                run.Terminal.Error.WriteLine($"Waiting for {label} ({created.Id}) to become ACTIVE...");
            }

            var server = await PollAsync(run, created.Id, label, parse.GetValue(timeout), current => current?.Status is "ACTIVE" or "ERROR", cancellationToken).ConfigureAwait(false);
            await PrintAsync(run, server!, cancellationToken).ConfigureAwait(false);
            return server!.Status == "ERROR"
                ? throw new ClientFailure(ExitCodes.Failed, $"{label} failed to build: {server.Fault?.Message ?? "the service gave no reason"}")
                : ExitCodes.Success;
        });
        return command;
    }

    private static Command List(ClientSetup setup)
    {
        var allProjects = new Option<bool>("--all-projects") { Description = "List every project's servers (all_tenants=1; admins only)." };
        var command = new Command("list", "List the servers of your project, newest first.") { allProjects };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var servers = await run.Client.ListServersAsync(run.Parse.GetValue(allProjects), cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(servers);
                return ExitCodes.Success;
            }

            var names = await Names.LoadAsync(run.Client, cancellationToken).ConfigureAwait(false);
            run.Terminal.Write(Tables.List(
                ["ID", "Name", "Status", "Task state", "Power state", "Image", "Flavor"],
                servers.Select(server => new[]
                {
                    server.Id, server.Name, server.Status, server.TaskState ?? "-", PowerName(server.PowerState),
                    names.Image(server.Image.Id), names.Flavor(server.Flavor.Id),
                })));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(ClientSetup setup)
    {
        var reference = ServerArgument();
        var command = new Command("show", "Show one server: its states, image, flavor and, in ERROR, why.") { reference };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            await PrintAsync(run, await run.Client.FindServerByReferenceAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Power(ClientSetup setup, string verb, string description, Func<VireoClient, string, bool, CancellationToken, Task> act, bool withHard = false)
    {
        var reference = ServerArgument();
        var hard = new Option<bool>("--hard") { Description = "Power cycle instead of asking the guest OS." };
        var command = new Command(verb, description) { reference };
        if (withHard)
        {
            command.Options.Add(hard);
        }

        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var server = run.Parse.GetValue(reference)!;
            var isHard = withHard && run.Parse.GetValue(hard);
            var id = await run.Client.ResolveServerIdAsync(server, cancellationToken).ConfigureAwait(false);
            await act(run.Client, id, isHard, cancellationToken).ConfigureAwait(false);
            var action = isHard ? verb + " --hard" : verb;
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new AcceptedAction(server, action));
            }
            else
            {
                run.Terminal.Say($"Request to {action} server '{server}' accepted; `vireo server show {server}` shows its progress.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(ClientSetup setup)
    {
        var reference = ServerArgument();
        var wait = new Option<bool>("--wait") { Description = "Wait until the server is gone." };
        var timeout = TimeoutOption();
        var command = new Command("delete", "Delete a server with its disks.") { reference, wait, timeout };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var server = await run.Client.FindServerByReferenceAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            var label = $"server '{server.Name}'";
            await run.Client.DeleteServerAsync(server.Id, cancellationToken).ConfigureAwait(false);
            if (run.Parse.GetValue(wait))
            {
                var left = await PollAsync(run, server.Id, label, run.Parse.GetValue(timeout), current => current is null or { Status: "ERROR", TaskState: null }, cancellationToken).ConfigureAwait(false);
                if (left is not null)
                {
                    throw new ClientFailure(ExitCodes.Failed, $"{label} could not be deleted: {left.Fault?.Message ?? "the service gave no reason"}");
                }
            }

            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new DeletedResource("server", server.Id, server.Name));
            }
            else
            {
                run.Terminal.Say(run.Parse.GetValue(wait) ? $"Deleted {label} ({server.Id})." : $"Deleting {label} ({server.Id}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Console(ClientSetup setup)
    {
        var reference = ServerArgument();
        var lines = new Option<int?>("--lines") { Description = "Only the last N lines (default: the whole log)." };
        lines.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 and var value)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--lines must be at least 1, got {value}"));
            }
        });
        var command = new Command("console", "Print the server's serial console log.") { reference, lines };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var id = await run.Client.ResolveServerIdAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            var output = await run.Client.GetConsoleOutputAsync(id, run.Parse.GetValue(lines), cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new ConsoleOutputResponse { Output = output });
            }
            else
            {
                run.Terminal.Out.Write(output);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Asks for the server every poll interval until <paramref name="done"/> (null: it is gone) or the deadline.</summary>
    private static async Task<ServerDetail?> PollAsync(ClientInvocation run, string id, string label, int timeoutSeconds, Func<ServerDetail?, bool> done, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(timeoutSeconds);
        string? shown = null;
        while (true)
        {
            var current = await run.Client.FindServerAsync(id, cancellationToken).ConfigureAwait(false);
            if (done(current))
            {
                return current;
            }

            // Each change of state or progress once, on standard error (stdout stays for the result).
            var now = current is null ? null : Describe(current);
            if (now is not null && now != shown)
            {
                run.Terminal.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {now} ({clock.Elapsed.TotalSeconds:F1} s)"));
                shown = now;
            }

            if (clock.Elapsed >= deadline)
            {
                var state = current is null ? "gone" : $"{current.Status} (task {current.TaskState ?? "none"})";
                throw new ClientFailure(
                    ExitCodes.Failed,
                    $"{label} is still {state} after {timeoutSeconds} s; see `vireo server show {id}` or wait longer with --timeout");
            }

            await Task.Delay(run.Setup.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>"BUILD, task block_device_mapping, 40%": what a waiting user is told.</summary>
    private static string Describe(ServerDetail server) =>
        server.Status + (server.TaskState is { } task ? ", task " + task : "") +
        (server.Progress is > 0 and var percent ? string.Create(CultureInfo.InvariantCulture, $", {percent}%") : "");

    private static async Task PrintAsync(ClientInvocation run, ServerDetail server, CancellationToken cancellationToken)
    {
        var cpu = await GuestCpuOutput.ReadAsync(run.Client, server.Id, cancellationToken).ConfigureAwait(false);
        if (run.Terminal.Json)
        {
            run.Terminal.WriteJson(GuestCpuOutput.WithServer(server, cpu.View));
            return;
        }

        var names = await Names.LoadAsync(run.Client, cancellationToken).ConfigureAwait(false);
        var fields = new List<(string, string?)>
        {
            ("id", server.Id),
            ("name", server.Name),
            ("status", server.Status),
            ("vm_state", server.VmState),
            ("task_state", server.TaskState ?? "-"),
            ("progress", server.Progress is { } progress ? progress.ToString(CultureInfo.InvariantCulture) + "%" : "-"),
            ("power_state", PowerName(server.PowerState)),
            ("image", $"{names.Image(server.Image.Id)} ({server.Image.Id})"),
            ("flavor", $"{names.Flavor(server.Flavor.Id)} ({server.Flavor.Id})"),
            ("host", server.Host),
            ("created", server.Created),
            ("updated", server.Updated),
            ("launched_at", server.LaunchedAt),
        };
        if (server.Fault is { } fault)
        {
            fields.Add(("fault", $"{fault.Message} (code {fault.Code}, {fault.Created})"));
        }

        fields.AddRange(GuestCpuOutput.Fields(cpu));

        run.Terminal.Write(Tables.Fields(fields));
    }

    private static Argument<string> ServerArgument() => new("SERVER") { Description = "The server's name or id." };

    private static Option<int> TimeoutOption()
    {
        var option = new Option<int>("--timeout") { Description = "With --wait: give up after this many seconds.", DefaultValueFactory = _ => 300 };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--timeout must be at least 1 second");
            }
        });
        return option;
    }

    private static string PowerName(int power) =>
        Enum.IsDefined((PowerState)power) ? ((PowerState)power).ToNova() : power.ToString(CultureInfo.InvariantCulture);

    /// <summary>Image and flavor names for tables; a failed lookup only leaves the ids (as the OpenStack client does).</summary>
    private sealed class Names(IReadOnlyDictionary<string, string> images, IReadOnlyDictionary<string, string> flavors)
    {
        public static async Task<Names> LoadAsync(VireoClient client, CancellationToken cancellationToken)
        {
            Dictionary<string, string> images = [];
            Dictionary<string, string> flavors = [];
            try
            {
                images = (await client.ListImagesAsync(name: null, cancellationToken).ConfigureAwait(false))
                    .ToDictionary(image => image.Id, image => image.Name ?? image.Id, StringComparer.OrdinalIgnoreCase);
            }
            catch (ClientFailure)
            {
                // Names are a convenience: tables show the ids.
                images = [];
            }

            try
            {
                flavors = (await client.ListFlavorsAsync(cancellationToken).ConfigureAwait(false))
                    .ToDictionary(flavor => flavor.Id, flavor => flavor.Name, StringComparer.Ordinal);
            }
            catch (ClientFailure)
            {
                // As above.
                flavors = [];
            }

            return new Names(images, flavors);
        }

        public string Image(string id) => images.GetValueOrDefault(id, id);

        public string Flavor(string id) => flavors.GetValueOrDefault(id, id);
    }

    /// <summary>What <c>--json</c> prints after start, stop or reboot.</summary>
    internal sealed record AcceptedAction(string Server, string Action)
    {
        public bool Accepted => true;
    }
}

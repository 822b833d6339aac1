using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vireo.Api.Contracts;
using Vireo.Cli.Client;
using Vireo.Cli.Output;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo server image create SERVER --name NAME</c>: a new image from the server's root disk,
/// through the service's createImage action. Waits until the image is active (or gone: the snapshot
/// failed and was undone) unless <c>--no-wait</c>.
/// </summary>
public static class ServerImageCommands
{
    public static void AddTo(Command server, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(server);
        var image = new Command("image", "Make images from servers.");
        image.Subcommands.Add(Create(setup));
        server.Subcommands.Add(image);
    }

    private static Command Create(ClientSetup setup)
    {
        var reference = new Argument<string>("SERVER") { Description = "The server's name or id." };
        var name = new Option<string>("--name") { Description = "The new image's name.", Required = true };
        var properties = new Option<string[]>("--property") { Description = "KEY=VALUE: a property of the new image (repeatable).", AllowMultipleArgumentsPerToken = false };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the service accepted the snapshot, without waiting for the image." };
        var timeout = new Option<int>("--timeout") { Description = "Give up waiting after this many seconds.", DefaultValueFactory = _ => 1800 };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--timeout must be at least 1 second");
            }
        });
        var command = new Command(
            "create",
            "Snapshot the server's root disk into a new image: live while it runs, from the stored disk while it is stopped.")
            { reference, name, properties, noWait, timeout };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var parse = run.Parse;
            var metadata = Properties(parse.GetValue(properties) ?? []);
            var serverId = await run.Client.ResolveServerIdAsync(parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            var imageId = await run.Client.CreateServerImageAsync(serverId, parse.GetValue(name)!, metadata, cancellationToken).ConfigureAwait(false);
            var label = $"image '{parse.GetValue(name)}' ({imageId})";
            if (parse.GetValue(noWait))
            {
                var accepted = await run.Client.FindImageAsync(imageId, cancellationToken).ConfigureAwait(false);
                if (accepted is not null && run.Terminal.Json)
                {
                    run.Terminal.WriteJson(accepted);
                }
                else
                {
                    run.Terminal.Say($"Snapshot of server '{parse.GetValue(reference)}' accepted; {label} is saving; `vireo image show {imageId}` shows when it is active.");
                }

                return ExitCodes.Success;
            }

            var done = await WaitAsync(run, serverId, imageId, label, parse.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            ImageCommands.Print(run.Terminal, done);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Polls the image until active; gone means the snapshot failed and was undone (exit 1 with the server's state).</summary>
    private static async Task<ImageView> WaitAsync(ClientInvocation run, string serverId, string imageId, string label, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string? shown = null;
        while (true)
        {
            var image = await run.Client.FindImageAsync(imageId, cancellationToken).ConfigureAwait(false);
            if (image is { Status: "active" })
            {
                return image;
            }

            if (image is null or { Status: "killed" or "deleted" })
            {
                var server = await run.Client.FindServerAsync(serverId, cancellationToken).ConfigureAwait(false);
                var state = server is null ? "the server is gone" : $"the server is {server.Status} (task {server.TaskState ?? "none"})";
                throw new ClientFailure(
                    ExitCodes.Failed,
                    $"the snapshot failed and {label} was removed; {state}; the service log (events 1302 and 2301) says why");
            }

            var current = await run.Client.FindServerAsync(serverId, cancellationToken).ConfigureAwait(false);
            var now = $"{image.Status}, server task {current?.TaskState ?? "none"}";
            if (now != shown)
            {
                run.Terminal.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {now} ({clock.Elapsed.TotalSeconds:F1} s)"));
                shown = now;
            }

            if (clock.Elapsed >= TimeSpan.FromSeconds(timeoutSeconds))
            {
                throw new ClientFailure(
                    ExitCodes.Failed,
                    $"{label} is still {image.Status} after {timeoutSeconds} s; the snapshot goes on in the service: see `vireo image show {imageId}` or wait longer with --timeout");
            }

            await Task.Delay(run.Setup.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> Properties(IEnumerable<string> pairs)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ClientFailure(ExitCodes.Usage, $"--property '{pair}' is not KEY=VALUE; write it as e.g. --property os_distro=cirros");
            }

            properties[pair[..equals]] = pair[(equals + 1)..];
        }

        return properties;
    }
}

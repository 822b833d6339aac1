using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vireo.Cli.Client;

namespace Vireo.Cli.Commands;

/// <summary>
/// `vireo server ping NAME`: waits until the server's QEMU guest agent answers guest-ping. Each
/// try is one call of the service's extension endpoint (POST /v2.1/servers/{id}/vireo-agent-ping),
/// which pings through the hypervisor; the CLI asks again until its own deadline.
/// </summary>
public static class AgentCommands
{
    /// <summary>How long one ping waits in the service before the CLI asks again.</summary>
    private const int PingSeconds = 5;

    public static void AddTo(Command server, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(server);
        var reference = new Argument<string>("SERVER") { Description = "The server's name or id." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the agent.", DefaultValueFactory = _ => 120 };
        var command = new Command("ping", "Wait until the server's guest agent answers guest-ping.") { reference, timeout };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var detail = await run.Client.FindServerByReferenceAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(run.Parse.GetValue(timeout));
            while (true)
            {
                // Never wait in the service past the deadline; at least one second per try.
                var left = (int)Math.Ceiling((deadline - clock.Elapsed).TotalSeconds);
                var wait = Math.Clamp(left, 1, PingSeconds);
                if (await run.Client.PingGuestAgentAsync(detail.Id, wait, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (clock.Elapsed > deadline)
                {
                    throw new ClientFailure(ExitCodes.Failed,
                        $"the guest agent of server '{detail.Name}' did not answer within {deadline.TotalSeconds:F0} s; is qemu-ga running in the guest and the image property hw_qemu_guest_agent=yes?");
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new AgentWaited(detail.Id, "ok", Math.Round(seconds, 1)));
            }
            else
            {
                run.Terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The guest agent of server '{detail.Name}' answered guest-ping (waited {seconds:F1} s)."));
            }

            return ExitCodes.Success;
        });
        server.Subcommands.Add(command);
    }
}

/// <summary>What <c>vireo server ping --json</c> prints: <c>{"server": "...", "agent": "ok", "waited_seconds": 6.2}</c>.</summary>
internal sealed record AgentWaited(string Server, string Agent, double WaitedSeconds);

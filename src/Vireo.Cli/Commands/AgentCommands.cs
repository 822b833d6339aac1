using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vireo.Cli.Client;
using Vireo.Cli.Serve;
using Vireo.Core;
using Vireo.Virt;

namespace Vireo.Cli.Commands;

/// <summary>
/// `vireo server ping NAME`: waits until the server's QEMU guest agent answers guest-ping. The
/// server is found through the API; the agent is reached through this host's libvirt (Nova has no
/// API for it), so it runs on the compute host, with the service's configuration.
/// </summary>
public static class AgentCommands
{
    public static void AddTo(Command server, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(server);
        var reference = new Argument<string>("SERVER") { Description = "The server's name or id." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the agent.", DefaultValueFactory = _ => 120 };
        var command = new Command("ping", "Wait until the server's guest agent answers (runs on the compute host).") { reference, timeout };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            if (!CliConfiguration.TryLoad(run.Parse, out var options, out var exit))
            {
                return exit;
            }
            var detail = await run.Client.FindServerByReferenceAsync(run.Parse.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            var installation = InstallationIdentity.Read(options.Vireo.InstallationId, options.Default.StatePath)
                ?? throw new ClientFailure(ExitCodes.Configuration, $"no installation id under {options.Default.StatePath}; run this on the host where `vireo serve` runs, with its configuration");
            var settings = new HypervisorSettings { ConnectionUri = options.Libvirt.EffectiveConnectionUri, InstallationId = installation };
            await using var hypervisor = new LibvirtHypervisor(settings);
            var id = Guid.Parse(detail.Id);
            var clock = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(run.Parse.GetValue(timeout));
            try
            {
                while (!await hypervisor.PingAgentAsync(id, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
                {
                    if (clock.Elapsed > deadline)
                    {
                        throw new ClientFailure(ExitCodes.Failed,
                            $"the guest agent of server '{detail.Name}' did not answer within {deadline.TotalSeconds:F0} s; is qemu-ga running in the guest and the image property hw_qemu_guest_agent=yes?");
                    }
                    await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (VireoException e)
            {
                throw new ClientFailure(ErrorKinds.ExitCode(e.Kind), e.Message);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(new Dictionary<string, object> { ["server"] = detail.Id, ["agent"] = "ok", ["waited_seconds"] = Math.Round(seconds, 1) });
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

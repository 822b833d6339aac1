using System.CommandLine;
using System.Globalization;
using Vireo.Api.Contracts;
using Vireo.Cli.Client;
using Vireo.Cli.Output;
using Vireo.HostCheck;

namespace Vireo.Cli.Commands;

/// <summary>
/// `vireo host check`: can this host run the configured guests, and what should it be configured with.
/// `vireo host orphans`: the guests and instance directories the service quarantined (no row), and their purge.
/// </summary>
public static class HostCommands
{
    public static void AddTo(RootCommand root) => AddTo(root, ClientSetup.Default);

    public static void AddTo(RootCommand root, ClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(root);
        var host = new Command("host", "Check this host against the configuration; list and purge orphaned guests and instance directories.");
        host.Subcommands.Add(CheckCommand());
        host.Subcommands.Add(OrphansCommand(setup));
        root.Subcommands.Add(host);
    }

    private static Command OrphansCommand(ClientSetup setup)
    {
        var purge = new Option<string?>("--purge")
        {
            Description = "Remove exactly this orphan (its id as listed): destroy and undefine its guest, remove its RBD images or logical volumes and its instance directory.",
            HelpName = "ID",
        };
        var command = new Command("orphans",
            "List the guests of this installation, the instance directories it made, and the RBD images and logical volumes named <uuid>_* that have "
            + "no database row. The service never removes them on its own (an empty or restored database, a shared instances_path, pool or volume "
            + "group); check each, then remove it with --purge ID.")
        {
            purge,
        };
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var id = run.Parse.GetValue(purge);
            return id is null
                ? await ListOrphansAsync(run, cancellationToken).ConfigureAwait(false)
                : await PurgeOrphanAsync(run, id, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ListOrphansAsync(ClientInvocation run, CancellationToken cancellationToken)
    {
        var orphans = await run.Client.ListOrphansAsync(cancellationToken).ConfigureAwait(false);
        if (run.Terminal.Json)
        {
            run.Terminal.WriteJson(orphans);
        }
        else if (orphans.Count == 0)
        {
            run.Terminal.Say("No orphans: every guest, instance directory, RBD image and logical volume of this installation's instances has its row.");
        }
        else
        {
            run.Terminal.Write(Tables.List(
                ["ID", "Kind", "Domain state", "Path", "Disks", "Size"],
                orphans.Select(orphan => new[]
                {
                    orphan.Id, orphan.Kind.Replace('_', ' '), orphan.DomainState, orphan.Path,
                    orphan.Disks.Count == 0 ? null : string.Join(", ", orphan.Disks.Select(disk => disk.Name)), Tables.Size(orphan.SizeBytes),
                })));
            run.Terminal.Say("Remove one with `vireo host orphans --purge ID` once you are sure nothing needs it.");
        }

        return ExitCodes.Success;
    }

    private static async Task<int> PurgeOrphanAsync(ClientInvocation run, string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            run.Terminal.Fail("--purge needs an orphan's id; run `vireo host orphans` to see them");
            return ExitCodes.Usage;
        }

        var listed = (await run.Client.ListOrphansAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(orphan => string.Equals(orphan.Id, id, StringComparison.OrdinalIgnoreCase));
        await run.Client.PurgeOrphanAsync(id, cancellationToken).ConfigureAwait(false);
        var purged = listed ?? new OrphanView { Id = id, Kind = "unknown" };
        if (run.Terminal.Json)
        {
            run.Terminal.WriteJson(purged);
        }
        else
        {
            var disks = purged.Disks.Count == 0 ? string.Empty : ", " + string.Join(", ", purged.Disks.Select(disk => disk.Name));
            run.Terminal.Say($"Purged orphan {purged.Id} ({purged.Kind.Replace('_', ' ')}{(purged.Path is null ? string.Empty : ", " + purged.Path)}{disks}).");
        }

        return ExitCodes.Success;
    }

    private static Command CheckCommand()
    {
        var noProbe = new Option<bool>("--no-probe")
        {
            Description = "Do not boot the acceleration probe guest (the check of virt_type is then only as good as the static facts).",
        };
        var probeTimeout = new Option<double>("--probe-timeout")
        {
            Description = "Seconds the probe guest gets to print its marker (default 10).",
            DefaultValueFactory = _ => AccelerationProbe.DefaultDeadline.TotalSeconds,
        };
        var command = new Command("check",
            "Check CPU virtualization, KVM modules, /dev/kvm, nested, vhost-net, tun, libvirt and QEMU, the cpu_mode, storage, and boot a tiny probe guest; "
            + "print each check with its fix and the virt_type/cpu_mode to use. Exit 0 all pass, 1 warnings, 2 failures.")
        {
            noProbe,
            probeTimeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = Terminal.For(parse);
            if (!CliConfiguration.TryLoad(parse, out var options, out var exit))
            {
                return exit;
            }

            var seconds = parse.GetValue(probeTimeout);
            if (seconds is <= 0 or > 600)
            {
                terminal.Fail(string.Create(CultureInfo.InvariantCulture, $"--probe-timeout {seconds} is out of range; give 1 to 600 seconds"));
                return ExitCodes.Usage;
            }

            var run = new HostCheckRunOptions { RunProbes = !parse.GetValue(noProbe), ProbeDeadline = TimeSpan.FromSeconds(seconds) };
            var (report, _) = await HostReadinessCheck.RunAsync(HostCheckConfig.From(options), run, cancellationToken).ConfigureAwait(false);
            if (terminal.Json)
            {
                terminal.Out.Write(HostCheckOutput.Json(report));
                terminal.Error.WriteLine($"vireo: {HostCheckOutput.Summary(report)}");
            }
            else
            {
                terminal.Out.Write(HostCheckOutput.Text(report));
            }

            return report.ExitCode;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Vireo.Cli.Output;
using Vireo.Virt.HostReadiness;

namespace Vireo.Cli.Commands;

/// <summary>`vireo host check`: can this host run the configured guests, and what should it be configured with.</summary>
public static class HostCommands
{
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var host = new Command("host", "Check this host against the configuration.");
        host.Subcommands.Add(CheckCommand());
        root.Subcommands.Add(host);
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

using System.CommandLine;
using Spectre.Console;
using Vireo.Cli.Output;
using Vireo.Cli.Serve;
using Vireo.Core;
using Vireo.CpuModels;
using Vireo.DomainXml;
using Vireo.Virt;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo cpu models|guest|baseline|compare</c>: the guest CPU tools. Only <c>models</c> asks libvirtd
/// (its domain capabilities); the others work offline over libvirt's installed CPU map.
/// </summary>
public static class CpuCommands
{
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var cpu = new Command("cpu", "Guest CPU models: what this host offers, what guests get, and the CPU a fleet shares.");
        cpu.Subcommands.Add(ModelsCommand());
        cpu.Subcommands.Add(GuestCommand());
        cpu.Subcommands.Add(BaselineCommand());
        cpu.Subcommands.Add(CompareCommand());
        root.Subcommands.Add(cpu);
    }

    private static Command ModelsCommand()
    {
        var command = new Command("models",
            "List the CPU models of this host for the configured virt_type, usable or not, with the features that block the unusable ones; "
            + "and what host-model and host-passthrough give here.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = Terminal.For(parse);
            if (!CliConfiguration.TryLoad(parse, out var options, out var exit))
            {
                return exit;
            }

            return await Guarded(terminal, async () =>
            {
                var libvirt = options.Libvirt;
                var virtType = libvirt.VirtType == Vireo.Configuration.Options.VirtType.Qemu ? DomainType.Qemu : DomainType.Kvm;
                var report = await HostCpuModelReader.ReadAsync(libvirt.EffectiveConnectionUri, virtType, InstalledMap().X86, cancellationToken).ConfigureAwait(false);
                PrintModels(terminal, report);
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command GuestCommand()
    {
        var vcpus = new Option<int>("--vcpus")
        {
            Description = "The flavor's vCPUs, which give the topology (one socket each, as Nova's default).",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("guest",
            "Print the <cpu> element a guest gets under the current [libvirt] cpu_mode, cpu_models and cpu_model_extra_flags, "
            + "and whether vmx/svm reaches guests (nested virtualization) with the host's nested parameter and what to change.")
        {
            vcpus,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = Terminal.For(parse);
            if (!CliConfiguration.TryLoad(parse, out var options, out var exit))
            {
                return exit;
            }

            var count = parse.GetValue(vcpus);
            if (count is < 1 or > 4096)
            {
                terminal.Fail($"--vcpus {count} is out of range; give 1 to 4096");
                return ExitCodes.Usage;
            }

            return await Guarded(terminal, async () =>
            {
                var settings = HostComposition.Hypervisor(options, installationId: "vireo-cpu-guest", DiskCache.None);
                var maps = CpuMapReader.LoadInstalled();
                var cpu = GuestCpuPolicy.Build(settings, count, InstalledModelNames(maps, settings));
                var xml = CpuXml.Format(cpu).TrimEnd();
                var nested = NestedExposure.Decide(
                    await NestedFactsReader.ReadAsync(new NestedTarget(settings.ConnectionUri, settings.VirtType, settings.Arch, settings.EffectiveCpuMode), cpu, new RootedFileTree("/"), maps, cancellationToken).ConfigureAwait(false));
                if (terminal.Json)
                {
                    terminal.WriteJson(new CpuGuestDocument(
                        VirtType: settings.VirtType == DomainType.Qemu ? "qemu" : "kvm",
                        CpuMode: CpuModes.NovaName(settings.EffectiveCpuMode),
                        CpuModeConfigured: settings.CpuMode is not null,
                        Model: cpu.Model,
                        Topology: cpu.Topology is { } t ? new CpuTopologyDocument(t.Sockets, t.Cores, t.Threads) : null,
                        Features: cpu.Features.Select(f => new CpuFeatureDocument(f.Name, CpuXml.PolicyName(f.Policy))),
                        Cpu: xml,
                        Nested: CpuNestedOutput.Json(nested)));
                }
                else
                {
                    terminal.Out.WriteLine(xml);
                    CpuNestedOutput.Print(terminal, nested);
                    terminal.Error.WriteLine(
                        $"vireo: cpu_mode {CpuModes.NovaName(settings.EffectiveCpuMode)}{(settings.CpuMode is null ? " (Nova's default for kvm and qemu)" : "")}, virt_type {(settings.VirtType == DomainType.Qemu ? "qemu" : "kvm")}, {count} vCPU{(count == 1 ? "" : "s")}.");
                }

                return ExitCodes.Success;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BaselineCommand()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Files with one or more host <cpu> elements (virsh capabilities' host CPU), or whole capabilities, domain capabilities or domain XML.",
            Arity = ArgumentArity.OneOrMore,
        };
        var migratable = new Option<bool>("--migratable")
        {
            Description = "Leave out features that block live migration (invtsc, xsaves), as virsh cpu-baseline --migratable.",
        };
        var command = new Command("baseline",
            "Compute offline the richest CPU every given host can run: libvirt's named model plus the features all hosts share, the x86-64 level, "
            + "and what each host gives up; the same model and features as virsh cpu-baseline.")
        {
            files, migratable,
        };
        command.SetAction(parse =>
        {
            var terminal = Terminal.For(parse);
            return Guarded(terminal, () =>
            {
                var hosts = parse.GetValue(files)!.SelectMany(f => CpuDescriptionReader.ReadFile(f.ToString())).ToList();
                var result = CpuBaseline.Compute(InstalledMap().X86, hosts, new CpuBaselineOptions { Migratable = parse.GetValue(migratable) });
                PrintBaseline(terminal, result);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CompareCommand()
    {
        var guest = new Option<FileInfo>("--guest")
        {
            Description = "A file with the guest <cpu> (a domain's, or what 'vireo cpu baseline' prints).",
            Required = true,
        };
        var host = new Option<FileInfo>("--host")
        {
            Description = "A file with the host CPU: virsh capabilities, virsh domcapabilities (its host-model CPU, as virsh hypervisor-cpu-compare uses) or a <cpu>.",
            Required = true,
        };
        var command = new Command("compare",
            "Compare a guest CPU with a host CPU offline: identical, superset (the host has more) or incompatible with the missing features; "
            + "exit 0 when the host can run the guest, 1 when it cannot.")
        {
            guest, host,
        };
        command.SetAction(parse =>
        {
            var terminal = Terminal.For(parse);
            return Guarded(terminal, () =>
            {
                var guestCpu = Single(parse.GetValue(guest)!, "--guest");
                var hostCpu = Single(parse.GetValue(host)!, "--host");
                var result = CpuComparison.Compare(InstalledMap().X86, hostCpu, guestCpu);
                PrintComparison(terminal, result, guestCpu, hostCpu);
                return result.Compatible ? ExitCodes.Success : ExitCodes.Failed;
            });
        });
        return command;
    }

    private static CpuDescription Single(FileInfo file, string option)
    {
        var cpus = CpuDescriptionReader.ReadFile(file.ToString());
        return cpus.Count == 1
            ? cpus[0]
            : throw VireoException.InvalidInput($"{option} {file} holds {cpus.Count} CPUs; give a file with exactly one");
    }

    /// <summary>
    /// The offline tool's stand-in for the daemon's model names: the models of the map installed here
    /// for the guest arch, where Nova maps names at all (the service asks the libvirtd it is connected to).
    /// </summary>
    private static CpuModelNames? InstalledModelNames(CpuMapSet? maps, HypervisorSettings settings) =>
        CpuModelNames.MappedOn(settings.Arch) && maps?.ForGuestArch(settings.Arch) is { } map
            ? new CpuModelNames(settings.Arch, map.Models.Select(m => m.Name), "libvirt's CPU map installed here")
            : null;

    private static CpuMapSet InstalledMap() => CpuMapReader.LoadInstalled()
        ?? throw new VireoException(
            ErrorKind.Configuration,
            $"libvirt's CPU map is not installed ({CpuMapReader.InstalledDirectory}/index.xml is missing); install libvirt (Debian package libvirt0, scripts/setup-host does)");

    /// <summary>Runs a command body, turning a <see cref="VireoException"/> into its one-line message and exit code.</summary>
    private static async Task<int> Guarded(Terminal terminal, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (VireoException e)
        {
            return Failed(terminal, e);
        }
    }

    private static int Guarded(Terminal terminal, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (VireoException e)
        {
            return Failed(terminal, e);
        }
    }

    private static int Failed(Terminal terminal, VireoException e)
    {
        terminal.Fail(e.Message);
        return e.Kind switch
            {
            ErrorKind.InvalidInput => ExitCodes.Usage,
            ErrorKind.NotFound => ExitCodes.NotFound,
            ErrorKind.Conflict => ExitCodes.Conflict,
            ErrorKind.Unavailable => ExitCodes.Unavailable,
            ErrorKind.Configuration => ExitCodes.Configuration,
            ErrorKind.Internal => ExitCodes.Internal,
            _ => ExitCodes.Failed,
        };
    }

    private static string Usability(CpuModelUsability usable) => usable switch
    {
        CpuModelUsability.Yes => "yes",
        CpuModelUsability.No => "no",
        _ => "unknown",
    };

    private static void PrintModels(Terminal terminal, HostCpuModelReport report)
    {
        if (terminal.Json)
        {
            terminal.WriteJson(new CpuModelsDocument(
                VirtType: report.VirtType,
                HostModel: new CpuHostModelDocument(
                    Supported: report.HostModelSupported,
                    Cpu: report.HostModel is { } hostModel ? CpuXml.Format(hostModel).TrimEnd() : null),
                HostPassthrough: new CpuModeSupportDocument(report.HostPassthroughSupported),
                Custom: new CpuModeSupportDocument(report.CustomSupported),
                BlockersFrom: report.BlockersFromLibvirt ? "libvirt" : "host-model comparison",
                Models: report.Models.Select(m => new CpuModelDocument(m.Name, Usability(m.Usable), m.Vendor, m.Level, m.Deprecated, m.Blockers))));
            return;
        }

        var hostModelText = report.HostModel is { } cpu
            ? $"{cpu.Model}{(cpu.Vendor is null ? "" : $" ({cpu.Vendor})")} with {cpu.Features.Count(f => f.Policy == CpuFeaturePolicy.Require)} added and {cpu.Features.Count(f => f.Policy == CpuFeaturePolicy.Disable)} disabled features"
            : "unsupported";
        terminal.Out.WriteLine($"virt_type {report.VirtType}: host-model {hostModelText}; host-passthrough {(report.HostPassthroughSupported ? "supported" : "unsupported")}");
        var table = new Table().AddColumns("MODEL", "USABLE", "VENDOR", "LEVEL", "BLOCKERS");
        table.Border(TableBorder.Simple);
        foreach (var model in report.Models)
        {
            var blockers = model.Blockers switch
            {
                null => model.Usable == CpuModelUsability.Yes ? "" : "(unknown)",
                { Count: 0 } => "",
                var list => string.Join(", ", list),
            };
            table.AddRow(
                Markup.Escape(model.Name + (model.Deprecated ? " (deprecated)" : "")),
                Usability(model.Usable),
                Markup.Escape(model.Vendor ?? "-"),
                model.Level ?? "-",
                Markup.Escape(blockers));
        }

        terminal.Write(table);
        if (!report.BlockersFromLibvirt)
        {
            terminal.Out.WriteLine("BLOCKERS: the model's features the host-model CPU lacks, as 'virsh hypervisor-cpu-compare' names them (this libvirt lists no blockers of its own).");
        }
    }

    private static void PrintBaseline(Terminal terminal, CpuBaselineResult result)
    {
        var xml = CpuXml.Format(result.ToCpuConfig()).TrimEnd();
        if (terminal.Json)
        {
            terminal.WriteJson(new CpuBaselineDocument(
                Model: result.Model,
                Vendor: result.Vendor,
                Fallback: result.ModelIsCommon ? "forbid" : "allow",
                Features: result.Features,
                DisabledFeatures: result.DisabledFeatures,
                Level: result.Level,
                NonMigratableFeatures: result.NonMigratableFeatures ?? [],
                Hosts: result.Hosts.Select(h => new CpuBaselineHostDocument(h.Source, h.Model, h.Vendor, h.Level, h.LostFeatures)),
                Cpu: xml,
                NovaConf: string.Join('\n', result.NovaConfiguration())));
            return;
        }

        var output = terminal.Out;
        output.WriteLine(xml);
        output.WriteLine();
        output.WriteLine($"x86-64 level: {result.Level ?? "below v1"}");
        output.WriteLine("nova.conf for guests that can live-migrate between all these hosts:");
        foreach (var line in result.NovaConfiguration())
        {
            output.WriteLine($"  {line}");
        }

        if (result.NonMigratableFeatures is { Count: > 0 } blocking)
        {
            output.WriteLine($"  (left out: {string.Join(", ", blocking)}, which block{(blocking.Count == 1 ? "s" : "")} live migration; --migratable leaves {(blocking.Count == 1 ? "it" : "them")} out of the <cpu> too)");
        }

        output.WriteLine($"hosts ({result.Hosts.Count}):");
        foreach (var host in result.Hosts)
        {
            var lost = host.LostFeatures.Count == 0 ? "loses nothing" : $"loses {host.LostFeatures.Count}: {string.Join(", ", host.LostFeatures)}";
            output.WriteLine($"  {host.Source} ({host.Model}, {host.Level ?? "below v1"}): {lost}");
        }
    }

    private static void PrintComparison(Terminal terminal, CpuComparisonResult result, CpuDescription guest, CpuDescription host)
    {
        var verdict = result.Verdict.ToString().ToLowerInvariant();
        if (terminal.Json)
        {
            terminal.WriteJson(new CpuCompareDocument(
                Result: verdict,
                Guest: guest.Source,
                Host: host.Source,
                MissingFeatures: result.Missing,
                ForbiddenFeatures: result.Forbidden,
                ExtraFeatures: result.Extra,
                Reason: result.Reason));
            return;
        }

        var output = terminal.Out;
        switch (result.Verdict)
        {
            case CpuComparisonVerdict.Identical:
                output.WriteLine($"identical: the host CPU ({host.Source}) is exactly the guest CPU ({guest.Source})");
                break;
            case CpuComparisonVerdict.Superset:
                output.WriteLine($"superset: the host CPU ({host.Source}) runs the guest CPU ({guest.Source}) and has {result.Extra.Count} more features: {string.Join(", ", result.Extra)}");
                break;
            default:
                output.WriteLine($"incompatible: the host CPU ({host.Source}) cannot run the guest CPU ({guest.Source}): {result.Reason}");
                if (result.Missing.Count > 0)
                {
                    output.WriteLine($"missing features: {string.Join(", ", result.Missing)}");
                }

                break;
        }
    }
}

using Vireo.Configuration.Options;
using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.HostCheck;

/// <summary>
/// The virt_type and cpu_mode this host should use, from the same facts: kvm only when a guest
/// proved it (or, with no probe, when every KVM prerequisite holds); otherwise qemu, the seed's
/// fallback. The cpu_mode is the configured one when the chosen type supports it, else the
/// closest that does.
/// </summary>
public static class HostRecommender
{
    public static HostRecommendation Recommend(HostFacts facts, HostCheckConfig config)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(config);
        var reasons = new List<string>();
        var kvmProbe = facts.Probes.GetValueOrDefault("kvm");
        var qemuProbe = facts.Probes.GetValueOrDefault("qemu");
        var prerequisites = HostEvaluation.KvmPrerequisites(facts, config);
        var firstKvmProblem = prerequisites.FirstOrDefault(c => c.Status == CheckStatus.Fail);
        var kvmGuest = !facts.Libvirt.Answered || facts.Libvirt.HasGuest("hvm", facts.Libvirt.HostArch ?? facts.Kernel.Cpu.Arch, "kvm");

        var qemuWorks = qemuProbe is null or { Outcome: ProbeOutcome.Passed or ProbeOutcome.NotRun };
        var qemuProof = qemuProbe?.Outcome == ProbeOutcome.Passed ? $" (a TCG guest ran the probe to its marker in {Seconds(qemuProbe.Elapsed)})" : "";
        // The CPU can do it and only the host's set-up is in the way (modules, /dev/kvm, its access):
        // kvm is what the host should use, once that is fixed. A guest that started and then
        // crawled or hung is not a set-up problem, and neither is a CPU without vmx/svm.
        var cpuReady = prerequisites[0].Status == CheckStatus.Pass;
        var setupProblem = prerequisites.Skip(1).FirstOrDefault(c => c.Status == CheckStatus.Fail);
        var probeSaysSetup = kvmProbe is null or { Outcome: ProbeOutcome.StartFailed or ProbeOutcome.NotRun };

        string? virtType;
        if (kvmProbe?.Outcome == ProbeOutcome.Passed)
        {
            virtType = "kvm";
            reasons.Add($"virt_type = kvm: a KVM guest ran the probe to its marker in {Seconds(kvmProbe.Elapsed)}, so guests get hardware acceleration");
        }
        else if (kvmProbe is null or { Outcome: ProbeOutcome.NotRun } && firstKvmProblem is null && kvmGuest)
        {
            virtType = "kvm";
            reasons.Add("virt_type = kvm: every KVM prerequisite holds (the probe did not run, so acceleration is not proven)");
        }
        else if (cpuReady && probeSaysSetup && setupProblem is not null)
        {
            virtType = "kvm";
            reasons.Add($"virt_type = kvm: the CPU supports KVM and only this host's set-up is in the way, so fix {setupProblem.Name} first: {setupProblem.Fix}"
                + (qemuWorks ? $"; until then only virt_type = qemu runs guests{qemuProof}" : ""));
        }
        else if (qemuWorks)
        {
            virtType = "qemu";
            var why = kvmProbe is { Outcome: not (ProbeOutcome.Passed or ProbeOutcome.NotRun) }
                ? $"the KVM probe failed ({Describe(kvmProbe)})"
                : firstKvmProblem is not null
                    ? $"KVM is not usable ({firstKvmProblem.Name}: {firstKvmProblem.Detail})"
                    : "libvirt offers no kvm guest here";
            reasons.Add($"virt_type = qemu: {why}; TCG needs no hardware support and runs the same guests, slower{qemuProof}");
        }
        else
        {
            virtType = null;
            reasons.Add($"neither virt type runs a guest here: the qemu probe failed too ({Describe(qemuProbe!)}); fix libvirt and QEMU first");
        }

        if (virtType is null)
        {
            return new HostRecommendation(null, null, reasons);
        }

        var (mode, models, modeReason) = ChooseCpuMode(facts, config, virtType);
        reasons.Add(modeReason);
        return new HostRecommendation(virtType, CpuModes.NovaName(mode), reasons, models);
    }

    private static (CpuMode Mode, string? Models, string Reason) ChooseCpuMode(HostFacts facts, HostCheckConfig config, string virtType)
    {
        var arch = facts.Kernel.Cpu.Arch;
        var configured = config.EffectiveCpuMode(arch);
        var configuredText = CpuModes.NovaName(configured) + (config.CpuMode is null ? " (Nova's default)" : " (configured)");
        if (facts.Libvirt.DomainCapabilities.GetValueOrDefault(virtType)?.Cpu is not { } cpu)
        {
            return (configured, Models(config, configured), $"cpu_mode = {configuredText}: libvirt gave no domain capabilities for {virtType} to judge it by");
        }

        var hostModel = cpu.HostModel?.Model is { } m ? $" (it resolves to {m} here)" : "";
        if (Supports(cpu, configured, config.CpuModels))
        {
            var why = configured switch
            {
                CpuMode.HostModel => $"supported for {virtType}{hostModel}; it keeps live migration between like hosts possible",
                CpuMode.HostPassthrough => $"supported for {virtType}; fastest, but live migration needs identical hosts",
                CpuMode.Custom => $"every configured model is usable for {virtType}",
                _ => "QEMU's default CPU model",
            };
            return (configured, Models(config, configured), $"cpu_mode = {configuredText}: {why}");
        }

        var unsupported = $"{CpuModes.NovaName(configured)} is not supported for virt_type={virtType}";
        if (cpu.HostModelSupported)
        {
            return (CpuMode.HostModel, null, $"cpu_mode = host-model: {unsupported}; host-model is{hostModel}");
        }

        if (cpu.HostPassthroughSupported)
        {
            return (CpuMode.HostPassthrough, null, $"cpu_mode = host-passthrough: {unsupported}; host-passthrough is");
        }

        if (cpu.CustomModels.FirstOrDefault(x => x.Usable == CpuModelUsability.Yes) is { } usable)
        {
            return (CpuMode.Custom, usable.Name, $"cpu_mode = custom with cpu_models = {usable.Name}: {unsupported}, nor is host-model; {usable.Name} is usable");
        }

        return (CpuMode.None, null, $"cpu_mode = none: {unsupported} and no named model is usable; QEMU's default model remains");
    }

    private static bool Supports(DomainCapabilitiesCpu cpu, CpuMode mode, IReadOnlyList<string> models) => mode switch
    {
        CpuMode.HostModel => cpu.HostModelSupported,
        CpuMode.HostPassthrough => cpu.HostPassthroughSupported,
        CpuMode.Custom => models.Count > 0 && models.All(name =>
            cpu.CustomModels.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase) && x.Usable != CpuModelUsability.No)),
        _ => true,
    };

    private static string? Models(HostCheckConfig config, CpuMode mode) =>
        mode == CpuMode.Custom && config.CpuModels.Count > 0 ? string.Join(", ", config.CpuModels) : null;

    private static string Describe(ProbeResult probe) => probe.Outcome switch
    {
        ProbeOutcome.StartFailed => $"libvirt refused to start it: {probe.Error}",
        ProbeOutcome.Stopped => $"the guest stopped: {probe.Error}",
        _ => $"after {Seconds(probe.Deadline)} the guest {HostEvaluation.Progress(probe.SerialOutput)}",
    };

    private static string Seconds(TimeSpan t) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}

using System.Globalization;

namespace Vireo.HostCheck;

/// <summary>The acceleration probe's result, read from what the guest printed.</summary>
public static partial class HostEvaluation
{
    private const string ProbeName = "probe.acceleration";

    private static HostCheck Probe(Context c)
    {
        var title = $"a guest runs under virt_type={c.VirtType}";
        if (c.Facts.Probes.GetValueOrDefault(c.VirtType) is not { } probe)
        {
            return c.Libvirt.Answered
                ? Check(ProbeName, title, CheckStatus.Skip, "the acceleration probe was not run")
                : Check(ProbeName, title, CheckStatus.Fail, $"the acceleration probe could not run: libvirt does not answer at {c.Libvirt.Uri}",
                    StartLibvirt(c), needsLibvirt: true);
        }

        var guest = $"the probe guest (a 512-byte boot sector, {c.VirtType}, 32 MiB)";
        switch (probe.Outcome)
        {
            case ProbeOutcome.Passed:
                return Check(ProbeName, title, CheckStatus.Pass,
                    $"{guest} went through real mode, timer interrupts, protected and long mode and {ProbeBootSector.WorkSteps} work steps and printed its marker on the serial port in {Seconds(probe.Elapsed)}",
                    needsLibvirt: true);
            case ProbeOutcome.NotRun:
                return Check(ProbeName, title, CheckStatus.Skip, $"the acceleration probe was not run: {probe.Error}");
            case ProbeOutcome.StartFailed:
                return Check(ProbeName, title, CheckStatus.Fail,
                    $"libvirt refused to start {guest}: \"{probe.Error}\"{LogNote(probe)}", StartFailedFix(c, probe.Error ?? ""), needsLibvirt: true);
            case ProbeOutcome.Stopped:
                return Check(ProbeName, title, CheckStatus.Fail,
                    $"{guest} stopped before printing its marker ({probe.Error}) after it {Progress(probe.SerialOutput)}{LogNote(probe)}",
                    c.Kvm ? $"see QEMU's log for the reason; or {c.UseQemu}" : "see QEMU's log for the reason", needsLibvirt: true);
            default:
                var emulated = probe.SerialOutput.Contains(ProbeBootSector.Stages[^1].Line, StringComparison.Ordinal) ? "its instructions are emulated, not accelerated, so " : "";
                var slow = c.Kvm
                    ? c.Kernel.HasModule("kvm_pvm") && !(c.Vendor is { } v && c.Kernel.HasModule(v.Module))
                        ? $": {emulated}KVM exists here but guests do not run on it ({PvmNote}, and this guest is not)"
                        : $": {emulated}guests do not run on this KVM"
                    : ": guests do not run under TCG here";
                return Check(ProbeName, title, CheckStatus.Fail,
                    $"{guest} ran {Seconds(probe.Deadline)} and libvirt reported it running, but it {Progress(probe.SerialOutput)}{slow}",
                    c.Kvm ? c.UseQemu : "see QEMU's log; the host is overloaded or QEMU is broken", needsLibvirt: true);
        }
    }

    /// <summary>How far the guest got, from its stage lines and work dots.</summary>
    internal static string Progress(string serial)
    {
        var reached = ProbeBootSector.Stages.Where(s => serial.Contains(s.Line, StringComparison.Ordinal)).Select(s => s.Stage).ToList();
        if (reached.Count == 0)
        {
            return "printed nothing, not even from real mode (the firmware never ran the boot sector)";
        }

        var last = reached[^1];
        if (last == "long-mode")
        {
            var longLine = ProbeBootSector.Stages[^1].Line;
            var after = serial[(serial.IndexOf(longLine, StringComparison.Ordinal) + longLine.Length)..];
            var steps = after.TakeWhile(ch => ch == '.').Count();
            return string.Create(CultureInfo.InvariantCulture,
                $"reached 64-bit long mode and finished only {steps} of {ProbeBootSector.WorkSteps} work steps (TCG does all {ProbeBootSector.WorkSteps} in about half a second)");
        }

        return last switch
        {
            "real-mode" => "printed from real mode, then no timer interrupt arrived",
            "timer-interrupts" => "got timer interrupts in real mode, then never reached protected mode",
            _ => "reached protected mode, then never reached 64-bit long mode",
        };
    }

    private static string LogNote(ProbeResult probe) => probe.LogPath is { } log ? $" (QEMU's log: {log})" : "";

    private static string StartFailedFix(Context c, string error)
    {
        if (error.Contains("Permission denied", StringComparison.Ordinal) && error.Contains("KVM", StringComparison.OrdinalIgnoreCase))
        {
            return $"make /dev/kvm usable by QEMU's user (see kvm.access), or {c.UseQemu}";
        }

        if (error.Contains("domaintype", StringComparison.Ordinal) || error.Contains("os type 'hvm'", StringComparison.Ordinal))
        {
            return $"load the KVM modules (see kvm.modules) and restart libvirtd, or {c.UseQemu}";
        }

        return c.Kvm ? $"see QEMU's log for the reason, or {c.UseQemu}" : "see QEMU's log for the reason";
    }
}

using Vireo.Configuration.Options;
using Vireo.Libvirt;

namespace Vireo.HostCheck.Tests;

/// <summary>
/// The real adapter, libvirtd (qemu:///system, started by scripts/setup-host) and probe guests.
/// Probe domains are transient and auto-destroyed; each test also checks that none is left.
/// </summary>
public sealed class HostReadinessLiveTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("vireo-host-check-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HostCheckConfig Config(VirtType virtType) => new()
    {
        VirtType = virtType,
        ConnectionUri = "qemu:///system",
        InstancesPath = Path.Combine(work, "instances"),
    };

    private HostCheckRunOptions Run => new() { ProbeDirectory = work };

    /// <summary>This kind of machine (docs/host-notes.md): /dev/kvm without vmx or svm, where KVM guests do not run.</summary>
    private static bool HostLacksHardwareVirtualization()
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
        var words = flags.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries);
        return !words.Contains("vmx") && !words.Contains("svm");
    }

    [Fact(Timeout = 120_000)]
    public async Task With_virt_type_qemu_this_host_has_no_failure_and_a_tcg_guest_runs_the_probe_to_its_marker()
    {
        var (report, facts) = await HostReadinessCheck.RunAsync(Config(VirtType.Qemu), Run, Cancel);

        report.Checks.Where(c => c.Status == CheckStatus.Fail).ShouldBeEmpty(HostCheckOutput.Text(report));
        report.ExitCode.ShouldBeLessThan(2);
        var probe = facts.Probes["qemu"];
        probe.Outcome.ShouldBe(ProbeOutcome.Passed, probe.SerialOutput);
        probe.SerialOutput.ShouldContain("VIREO-PROBE long-mode work:" + new string('.', ProbeBootSector.WorkSteps));
        report.Recommendation.VirtType.ShouldNotBeNull();
        ShouldLeaveNoProbe(probe);
    }

    [Fact(Timeout = 120_000)]
    public async Task With_virt_type_kvm_a_host_without_vmx_or_svm_fails_the_probe_and_is_told_to_set_virt_type_qemu()
    {
        Assert.SkipUnless(HostLacksHardwareVirtualization(), "this host has vmx or svm: KVM may well work here");

        var (report, facts) = await HostReadinessCheck.RunAsync(Config(VirtType.Kvm), Run, Cancel);

        report.ExitCode.ShouldBe(2);
        var probe = report.Checks.Single(c => c.Name == "probe.acceleration");
        probe.Status.ShouldBe(CheckStatus.Fail, HostCheckOutput.Text(report));
        probe.Fix.ShouldNotBeNull().ShouldContain("virt_type = qemu");
        report.Blocking.ShouldContain(probe);
        report.Recommendation.VirtType.ShouldBe("qemu");
        report.Recommendation.ConfigLines.ShouldContain("virt_type = qemu");
        // The fix was proven: the qemu probe ran after the kvm one failed.
        facts.Probes["qemu"].Outcome.ShouldBe(ProbeOutcome.Passed);
        ShouldLeaveNoProbe(facts.Probes["kvm"]);
        ShouldLeaveNoProbe(facts.Probes["qemu"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Under_tcg_the_extra_flags_qemu_cannot_provide_are_named_one_by_one_and_the_ones_it_can_are_not()
    {
        var config = Config(VirtType.Qemu) with
        {
            CpuMode = CpuMode.Custom,
            CpuModels = ["Nehalem"],
            ExtraFlags = [new CpuFeatureFlag("pcid", CpuFeaturePolicy.Require), new CpuFeatureFlag("aes", CpuFeaturePolicy.Require)],
        };

        var (report, facts) = await HostReadinessCheck.RunAsync(config, Run with { RunProbes = false }, Cancel);

        var comparison = facts.Libvirt.Comparisons.Single(c => c.VirtType == "qemu");
        comparison.Result.ShouldNotBeNull().Verdict.ShouldBe(CpuComparisonVerdict.Incompatible);
        comparison.Result.Missing.ShouldBe(["pcid"]);
        var check = report.Checks.Single(c => c.Name == "libvirt.cpu-mode");
        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain("(pcid cannot be provided)");
        check.Fix.ShouldBe("drop pcid from cpu_model_extra_flags (virt_type=qemu cannot provide it)");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_probe_past_its_deadline_times_out_is_destroyed_and_leaves_no_files()
    {
        using var connection = Connection.Open("qemu:///system");

        var probe = await AccelerationProbe.RunAsync(connection, "qemu", "x86_64", work, TimeSpan.FromMilliseconds(1), Cancel);

        probe.Outcome.ShouldBe(ProbeOutcome.TimedOut);
        ShouldLeaveNoProbe(probe);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_probe_libvirt_refuses_reports_libvirts_words()
    {
        using var connection = Connection.Open("qemu:///system");

        var probe = await AccelerationProbe.RunAsync(connection, "no-such-type", "x86_64", work, TimeSpan.FromSeconds(5), Cancel);

        probe.Outcome.ShouldBe(ProbeOutcome.StartFailed);
        probe.Error.ShouldNotBeNullOrWhiteSpace();
        ShouldLeaveNoProbe(probe);
    }

    [Fact]
    public async Task Storage_facts_of_a_fresh_directory_say_writable_with_o_direct_and_name_the_ancestor_of_a_missing_one()
    {
        var existing = await StorageFactsReader.ReadAsync((Config(VirtType.Qemu) with { InstancesPath = work }).StorageRequest, "/", StorageFactsReader.SearchPath(), Cancel);
        var missing = await StorageFactsReader.ReadAsync(Config(VirtType.Qemu).StorageRequest, "/", StorageFactsReader.SearchPath(), Cancel);

        existing.InstancesPath.ShouldSatisfyAllConditions(d => d.Exists.ShouldBeTrue(), d => d.Writable.ShouldBeTrue());
        missing.InstancesPath.ShouldSatisfyAllConditions(d => d.Exists.ShouldBeFalse(), d => d.ExistingAncestor.ShouldBe(work), d => d.Writable.ShouldBeTrue());
        existing.QemuImg.ShouldNotBeNull();
        Directory.EnumerateFileSystemEntries(work).ShouldBeEmpty();
    }

    [Fact]
    public void The_live_tree_reads_this_hosts_cpu_and_dev_kvm_with_real_owners()
    {
        var files = HostFileReader.Read(new RootedFileTree("/"), "qemu:///system");

        files.Kernel.Cpu.Arch.ShouldBe(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64 ? "x86_64" : files.Kernel.Cpu.Arch);
        if (File.Exists("/dev/kvm"))
        {
            files.Kernel.Kvm.ShouldNotBeNull().Kind.ShouldBe(NodeKind.CharacterDevice);
        }
    }

    private void ShouldLeaveNoProbe(ProbeResult probe)
    {
        Directory.EnumerateFileSystemEntries(work).Where(e => Path.GetFileName(e).StartsWith("vireo-probe-", StringComparison.Ordinal)).ShouldBeEmpty();
        if (probe.LogPath is { } log)
        {
            var name = Path.GetFileNameWithoutExtension(log);
            using var connection = Connection.Open("qemu:///system");
            connection.ListAllDomains().Select(d => { using (d) { return d.Name; } }).ShouldNotContain(name);
        }
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}

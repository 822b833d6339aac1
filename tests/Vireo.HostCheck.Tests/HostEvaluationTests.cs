using Vireo.Configuration.Options;
using Vireo.DomainXml;

namespace Vireo.HostCheck.Tests;

/// <summary>One fact changed at a time on the all-pass intel-vmx host.</summary>
public sealed class HostEvaluationTests
{
    private static readonly HostCheckConfig Kvm = HostCheckCases.Kvm;

    private static HostFacts Good(HostCheckConfig? config = null) => FixtureHost.Load("intel-vmx", config ?? Kvm);

    private static HostCheck CheckOf(HostFacts facts, string name, HostCheckConfig? config = null) =>
        HostEvaluation.Evaluate(facts, config ?? Kvm).Checks.Single(c => c.Name == name);

    [Fact]
    public void The_all_pass_host_exits_0_and_every_check_name_is_unique()
    {
        var report = HostEvaluation.Evaluate(Good(), Kvm);

        report.ExitCode.ShouldBe(0);
        report.Checks.Select(c => c.Name).ShouldBeUnique();
        report.Blocking.ShouldBeEmpty();
    }

    [Fact]
    public void When_libvirt_does_not_answer_its_checks_fail_with_the_fix_the_others_still_run_and_serve_is_not_blocked_by_them()
    {
        var facts = Good() with { Libvirt = LibvirtFacts.Unreachable("qemu:///system", "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory") };

        var report = HostEvaluation.Evaluate(facts with { Probes = new Dictionary<string, ProbeResult>() }, Kvm);

        var libvirtChecks = report.Checks.Where(c => c.NeedsLibvirt).ToList();
        libvirtChecks.Select(c => c.Name).ShouldBe(["libvirt.connection", "libvirt.version", "qemu.version", "libvirt.guest", "libvirt.cpu-mode", "probe.acceleration"]);
        libvirtChecks.ShouldAllBe(c => c.Status == CheckStatus.Fail && c.Fix!.Contains("start libvirtd"));
        report.Checks.Where(c => !c.NeedsLibvirt).ShouldAllBe(c => c.Status == CheckStatus.Pass);
        report.ExitCode.ShouldBe(2);
        report.Blocking.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("7.10.0", CheckStatus.Fail)]
    [InlineData("8.0.0", CheckStatus.Warn)]
    [InlineData("9.10.0", CheckStatus.Warn)]
    [InlineData("10.0.0", CheckStatus.Pass)]
    public void Libvirt_version_gates_are_novas(string version, CheckStatus expected)
    {
        var facts = Good();
        facts = facts with { Libvirt = facts.Libvirt with { LibvirtVersion = Version.Parse(version) } };

        CheckOf(facts, "libvirt.version").Status.ShouldBe(expected);
    }

    [Theory]
    [InlineData("6.1.0", CheckStatus.Fail)]
    [InlineData("6.2.0", CheckStatus.Warn)]
    [InlineData("8.2.1", CheckStatus.Warn)]
    [InlineData("8.2.2", CheckStatus.Pass)]
    public void Qemu_version_gates_are_novas(string version, CheckStatus expected)
    {
        var facts = Good();
        facts = facts with { Libvirt = facts.Libvirt with { QemuVersion = Version.Parse(version) } };

        CheckOf(facts, "qemu.version").Status.ShouldBe(expected);
    }

    [Fact]
    public void Instances_path_without_o_direct_warns_that_disks_get_writeback_as_in_nova()
    {
        var facts = Good();
        facts = facts with { Storage = facts.Storage with { InstancesPath = new DirectoryFacts("/dev/shm/instances", true, true, false) } };

        var check = CheckOf(facts, "storage.direct-io");

        check.Status.ShouldBe(CheckStatus.Warn);
        check.Detail.ShouldContain("writeback");
    }

    [Fact]
    public void Instances_path_that_cannot_be_written_fails_and_o_direct_is_skipped()
    {
        var facts = Good();
        facts = facts with { Storage = facts.Storage with { InstancesPath = new DirectoryFacts("/srv/nova", false, false, null, "/srv", "Permission denied") } };

        CheckOf(facts, "storage.instances-path").ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe(CheckStatus.Fail),
            c => c.Detail.ShouldContain("/srv is not writable (Permission denied)"),
            c => c.Fix!.ShouldContain("instances_path"));
        CheckOf(facts, "storage.direct-io").Status.ShouldBe(CheckStatus.Skip);
    }

    [Fact]
    public void Missing_qemu_img_fails_with_the_package_to_install()
    {
        var facts = Good();
        facts = facts with { Storage = facts.Storage with { QemuImg = null } };

        CheckOf(facts, "storage.qemu-img").Fix.ShouldBe("install it (Debian: `apt-get install qemu-utils`)");
    }

    public static TheoryData<string, string?, string[]?, bool, string> LvmCases => new()
    {
        { "no volume group configured", null, ["nova_local"], true, "images_volume_group is not set" },
        { "no device-mapper", "nova_local", ["nova_local"], false, "/dev/mapper/control does not exist" },
        { "vgs cannot run", "nova_local", null, true, "cannot list volume groups" },
        { "group missing", "nova_local", ["other"], true, "volume group nova_local does not exist (vgs lists other)" },
    };

    [Theory]
    [MemberData(nameof(LvmCases))]
    public void Lvm_needs_a_configured_existing_volume_group_and_device_mapper(string _, string? vg, string[]? groups, bool mapper, string detail)
    {
        var config = Kvm with { ImagesType = ImagesType.Lvm, ImagesVolumeGroup = vg };
        var facts = Good(config);
        facts = facts with
        {
            Storage = facts.Storage with { Lvm = new LvmFacts(vg, groups, groups is null ? "vgs is not installed" : null) },
            Kernel = facts.Kernel with { MapperControl = mapper ? new DeviceNode("/dev/mapper/control", NodeKind.CharacterDevice, 0, 0, "root", "root", 0b110_000_000) : null },
        };

        var check = CheckOf(facts, "storage.images-type", config);

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain(detail);
    }

    [Fact]
    public void Lvm_with_its_volume_group_and_device_mapper_passes()
    {
        var config = Kvm with { ImagesType = ImagesType.Lvm, ImagesVolumeGroup = "nova_local" };
        var facts = Good(config);
        facts = facts with
        {
            Storage = facts.Storage with { Lvm = new LvmFacts("nova_local", ["nova_local"], null) },
            Kernel = facts.Kernel with { MapperControl = new DeviceNode("/dev/mapper/control", NodeKind.CharacterDevice, 0, 0, "root", "root", 0b110_000_000) },
        };

        CheckOf(facts, "storage.images-type", config).Status.ShouldBe(CheckStatus.Pass);
    }

    public static TheoryData<string, RbdFacts, string> RbdCases => new()
    {
        { "no ceph.conf", new RbdFacts("/etc/ceph/ceph.conf", false, "vms", null, null, true), "/etc/ceph/ceph.conf does not exist" },
        { "no rbd driver", new RbdFacts("/etc/ceph/ceph.conf", true, "vms", ["vms"], null, false), "rbd block driver is not installed" },
        { "cluster silent", new RbdFacts("/etc/ceph/ceph.conf", true, "vms", null, "no answer within 10 s", true), "cannot list Ceph pools" },
        { "pool missing", new RbdFacts("/etc/ceph/ceph.conf", true, "vms", ["rbd"], null, true), "pool vms does not exist (pools: rbd)" },
    };

    [Theory]
    [MemberData(nameof(RbdCases))]
    public void Rbd_needs_the_ceph_conf_qemus_rbd_driver_and_the_pool(string _, RbdFacts rbd, string detail)
    {
        var config = Kvm with { ImagesType = ImagesType.Rbd, ImagesRbdPool = "vms" };
        var facts = Good(config);
        facts = facts with { Storage = facts.Storage with { Rbd = rbd } };

        var check = CheckOf(facts, "storage.images-type", config);

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain(detail);
    }

    [Fact]
    public void A_custom_model_that_is_unusable_or_unknown_fails_with_the_usable_ones_named()
    {
        var config = Kvm with { VirtType = VirtType.Qemu, CpuMode = CpuMode.Custom, CpuModels = ["Skylake-Client-IBRS", "Pentium9"] };
        var check = CheckOf(Good(config), "libvirt.cpu-mode", config);

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain("Skylake-Client-IBRS, which is usable='no' for virt_type=qemu");
        check.Detail.ShouldContain("Pentium9, which libvirt does not know");
        check.Fix!.ShouldContain("qemu64, Nehalem");
    }

    [Fact]
    public void An_incompatible_cpu_comparison_under_tcg_fails_because_qemu_would_silently_drop_the_flag()
    {
        var config = Kvm with
        {
            VirtType = VirtType.Qemu,
            CpuMode = CpuMode.Custom,
            CpuModels = ["Nehalem"],
            ExtraFlags = [new CpuFeatureFlag("pcid", Configuration.Options.CpuFeaturePolicy.Require)],
        };
        var facts = Good(config);
        facts = facts with { Libvirt = facts.Libvirt with { Comparisons = [HypervisorCpuComparison.Answered("qemu", "Nehalem +pcid", CpuComparisonVerdict.Incompatible, [])] } };

        var check = CheckOf(facts, "libvirt.cpu-mode", config);

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain("\"Nehalem +pcid\" incompatible");
        check.Detail.ShouldContain("silently");
    }

    [Fact]
    public void The_flags_found_missing_are_named_in_the_detail_and_the_fix()
    {
        var config = Kvm with
        {
            VirtType = VirtType.Qemu,
            CpuMode = CpuMode.Custom,
            CpuModels = ["Nehalem"],
            ExtraFlags = [new CpuFeatureFlag("pcid", Configuration.Options.CpuFeaturePolicy.Require), new CpuFeatureFlag("vmx", Configuration.Options.CpuFeaturePolicy.Require)],
        };
        var facts = Good(config);
        facts = facts with
        {
            Libvirt = facts.Libvirt with
            {
                Comparisons = [HypervisorCpuComparison.Answered("qemu", "Nehalem +pcid +vmx", CpuComparisonVerdict.Incompatible, ["pcid", "vmx"])],
            },
        };

        var check = CheckOf(facts, "libvirt.cpu-mode", config);

        check.Detail.ShouldContain("(pcid, vmx cannot be provided)");
        check.Fix.ShouldBe("drop pcid, vmx from cpu_model_extra_flags (virt_type=qemu cannot provide them)");
    }

    [Fact]
    public void A_session_whose_login_predates_the_kvm_group_change_is_told_to_log_in_again()
    {
        var facts = Good();
        facts = facts with
        {
            Qemu = new QemuProcessFacts("alice", 1000, "alice", ["alice", "kvm"], "this login session", null, [], ["alice"]),
        };

        var check = CheckOf(facts, "kvm.access", Kvm with { ConnectionUri = "qemu:///session" });

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Fix!.ShouldStartWith("log in again for the group change");
    }

    [Fact]
    public void A_user_outside_the_kvm_group_is_told_to_join_it()
    {
        var facts = Good();
        facts = facts with { Qemu = facts.Qemu with { Groups = ["libvirt-qemu"] } };

        CheckOf(facts, "kvm.access").Fix.ShouldBe("add QEMU's user to group kvm: `usermod -aG kvm libvirt-qemu`, then restart libvirtd");
    }

    [Fact]
    public void Root_qemu_confined_by_an_lsm_passes_and_unconfined_warns()
    {
        var facts = Good();
        var confined = facts with { Qemu = facts.Qemu with { User = "root", Uid = 0, SecurityDriver = "apparmor" } };
        var unconfined = facts with { Qemu = facts.Qemu with { User = "root", Uid = 0, SecurityDriver = "none" } };

        CheckOf(confined, "qemu.confinement").Status.ShouldBe(CheckStatus.Pass);
        CheckOf(unconfined, "qemu.confinement").Status.ShouldBe(CheckStatus.Warn);
    }

    [Fact]
    public void A_pseries_lpar_fails_the_powernv_check()
    {
        var facts = FixtureHost.Load("power8-powernv", Kvm);
        facts = facts with { Kernel = facts.Kernel with { Cpu = facts.Kernel.Cpu with { Platform = "pSeries" } } };

        var check = CheckOf(facts, "cpu.virtualization");

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain("platform: pSeries");
        check.Fix!.ShouldContain("PowerNV");
    }

    [Theory]
    [InlineData("", "printed nothing")]
    [InlineData("VIREO-PROBE real-mode\n", "no timer interrupt arrived")]
    [InlineData("VIREO-PROBE real-mode\nVIREO-PROBE timer-interrupts\n", "never reached protected mode")]
    [InlineData("VIREO-PROBE real-mode\nVIREO-PROBE timer-interrupts\nVIREO-PROBE protected-mode\n", "never reached 64-bit long mode")]
    [InlineData("VIREO-PROBE real-mode\nVIREO-PROBE timer-interrupts\nVIREO-PROBE protected-mode\nVIREO-PROBE long-mode work:...", "finished only 3 of 10 work steps")]
    public void Probe_progress_says_how_far_the_guest_got(string serial, string expected)
    {
        HostEvaluation.Progress(serial).ShouldContain(expected);
    }

    [Fact]
    public void A_probe_guest_that_stopped_early_fails_pointing_at_qemus_log()
    {
        var facts = Good() with
        {
            Probes = new Dictionary<string, ProbeResult>
            {
                ["kvm"] = new("kvm", ProbeOutcome.Stopped, TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(10), "VIREO-PROBE real-mode\n", "the guest went shutoff (crashed)", "/var/log/libvirt/qemu/p.log"),
            },
        };

        var check = CheckOf(facts, "probe.acceleration");

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain("/var/log/libvirt/qemu/p.log");
    }

    [Fact]
    public void Exit_code_is_2_with_any_failure_1_with_only_warnings_and_0_otherwise()
    {
        static HostCheckReport Report(params CheckStatus[] statuses) => new(Kvm, "x86_64",
            [.. statuses.Select((s, i) => new HostCheck($"c{i}", "t", s, "d", s is CheckStatus.Warn or CheckStatus.Fail ? "f" : null))],
            new HostRecommendation("kvm", "host-model", []), LibvirtAnswered: true);

        Report(CheckStatus.Pass, CheckStatus.Skip).ExitCode.ShouldBe(0);
        Report(CheckStatus.Pass, CheckStatus.Warn, CheckStatus.Skip).ExitCode.ShouldBe(1);
        Report(CheckStatus.Warn, CheckStatus.Fail).ExitCode.ShouldBe(2);
    }

    [Fact]
    public void With_no_probe_run_kvm_is_recommended_only_when_every_prerequisite_holds()
    {
        var noProbes = new Dictionary<string, ProbeResult>();
        var good = Good() with { Probes = noProbes };
        var broken = good with { Kernel = good.Kernel with { Kvm = null } };

        HostRecommender.Recommend(good, Kvm).VirtType.ShouldBe("kvm");
        HostRecommender.Recommend(broken, Kvm).VirtType.ShouldBe("kvm"); // the CPU can; fix /dev/kvm first
        HostRecommender.Recommend(broken, Kvm).Reasons[0].ShouldContain("fix kvm.device first");
    }

    [Fact]
    public void A_host_where_no_guest_runs_gets_no_recommendation()
    {
        var facts = FixtureHost.Load("this-machine", Kvm);
        facts = facts with
        {
            Probes = new Dictionary<string, ProbeResult>(facts.Probes)
            {
                ["qemu"] = new("qemu", ProbeOutcome.StartFailed, TimeSpan.Zero, TimeSpan.FromSeconds(10), Error: "cannot find QEMU binary"),
            },
        };

        var recommendation = HostRecommender.Recommend(facts, Kvm);

        recommendation.VirtType.ShouldBeNull();
        recommendation.ConfigLines.ShouldBeEmpty();
        recommendation.Reasons.ShouldHaveSingleItem().ShouldContain("cannot find QEMU binary");
    }

    [Fact]
    public void Custom_mode_is_recommended_with_a_usable_model_when_neither_host_mode_is_supported()
    {
        var config = Kvm with { VirtType = VirtType.Qemu, CpuMode = CpuMode.HostPassthrough };
        var facts = FixtureHost.Load("this-machine", config);
        var qemuCaps = facts.Libvirt.DomainCapabilities["qemu"].Cpu! with { HostModelSupported = false, HostModel = null };
        facts = facts with
        {
            Libvirt = facts.Libvirt with
            {
                DomainCapabilities = new Dictionary<string, DomainCapabilitiesFacts>(facts.Libvirt.DomainCapabilities) { ["qemu"] = new(qemuCaps, null) },
            },
        };

        var recommendation = HostRecommender.Recommend(facts, config);

        recommendation.CpuMode.ShouldBe("custom");
        recommendation.CpuModels.ShouldBe(qemuCaps.CustomModels.First(m => m.Usable == CpuModelUsability.Yes).Name);
        recommendation.ConfigLines.ShouldContain($"cpu_models = {recommendation.CpuModels}");
    }
}

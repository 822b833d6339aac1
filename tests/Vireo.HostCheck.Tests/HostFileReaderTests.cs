
namespace Vireo.HostCheck.Tests;

public sealed class HostFileReaderTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nlibvirt-qemu:x:64055:108::/var/lib/libvirt:/usr/sbin/nologin\n";
    private const string Group = "root:x:0:\nkvm:x:108:alice,libvirt-qemu\nalice:x:1000:\n";

    [Fact]
    public void Architecture_comes_from_proc_sys_kernel_arch_and_else_from_cpuinfo_fields()
    {
        HostFileReader.Read(new MemoryFileTree().File("/proc/cpuinfo", "vendor_id\t: GenuineIntel\nflags\t\t: fpu lm vmx\n"), "qemu:///system")
            .Kernel.Cpu.Arch.ShouldBe("x86_64");
        HostFileReader.Read(new MemoryFileTree().File("/proc/cpuinfo", "cpu\t\t: POWER9 (raw)\nplatform\t: PowerNV\n"), "qemu:///system")
            .Kernel.Cpu.ShouldSatisfyAllConditions(c => c.Arch.ShouldBe("ppc64le"), c => c.Platform.ShouldBe("PowerNV"));
        HostFileReader.Read(new MemoryFileTree().File("/proc/cpuinfo", "CPU implementer\t: 0x41\n"), "qemu:///system")
            .Kernel.Cpu.Arch.ShouldBe("aarch64");
        HostFileReader.Read(new MemoryFileTree().File("/proc/cpuinfo", "vendor_id : x\n").File("/proc/sys/kernel/arch", "riscv64\n"), "qemu:///system")
            .Kernel.Cpu.Arch.ShouldBe("riscv64");
    }

    [Fact]
    public void The_first_processor_block_gives_vendor_and_flags()
    {
        var cpu = HostFileReader.Read(new MemoryFileTree().File("/proc/cpuinfo",
            "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: lm svm hypervisor\n\nprocessor\t: 1\nvendor_id\t: Other\nflags\t\t: lm\n"), "qemu:///system").Kernel.Cpu;

        cpu.Vendor.ShouldBe("AuthenticAMD");
        cpu.ModelName.ShouldBe("AMD EPYC");
        cpu.Flags.ShouldBe(["lm", "svm", "hypervisor"], ignoreOrder: true);
    }

    [Fact]
    public void Module_parameters_are_read_from_sys_module_and_absent_modules_are_absent()
    {
        var kernel = HostFileReader.Read(new MemoryFileTree()
            .File("/sys/module/kvm_intel/parameters/nested", "Y\n")
            .File("/sys/module/kvm/parameters/halt_poll_ns", "200000\n")
            .File("/sys/module/unrelated/parameters/x", "1\n"), "qemu:///system").Kernel;

        kernel.Parameter("kvm_intel", "nested").ShouldBe("Y");
        kernel.HasModule("kvm").ShouldBeTrue();
        kernel.HasModule("kvm_amd").ShouldBeFalse();
        kernel.Modules.Keys.ShouldNotContain("unrelated");
    }

    [Fact]
    public void Device_owner_and_group_are_named_from_etc_passwd_and_etc_group()
    {
        var kernel = HostFileReader.Read(new MemoryFileTree().File("/etc/passwd", Passwd).File("/etc/group", Group)
            .Node("/dev/kvm", 0, 108, 0b110_110_000).Node("/run/udev/control", 0, 0, 0b110_000_000, NodeKind.Other), "qemu:///system").Kernel;

        kernel.Kvm.ShouldBe(new DeviceNode("/dev/kvm", NodeKind.CharacterDevice, 0, 108, "root", "kvm", 0b110_110_000));
        kernel.Kvm!.ModeText.ShouldBe("crw-rw----");
        kernel.UdevRunning.ShouldBeTrue();
        kernel.VhostNet.ShouldBeNull();
    }

    [Fact]
    public void Qemu_runs_as_the_qemu_conf_user_with_numeric_ids_resolved_and_a_security_driver_list_read()
    {
        var qemu = HostFileReader.Read(new MemoryFileTree().File("/etc/passwd", Passwd).File("/etc/group", Group)
            .File("/etc/libvirt/qemu.conf", "# user = \"nobody\"\nuser = \"+64055\"\ngroup = \"kvm\"\nsecurity_driver = [ \"selinux\", \"dac\" ]\n"), "qemu:///system").Qemu;

        qemu.User.ShouldBe("libvirt-qemu");
        qemu.Group.ShouldBe("kvm");
        qemu.Groups.ShouldContain("kvm");
        qemu.SecurityDriver.ShouldBe("selinux");
        qemu.Source.ShouldBe("/etc/libvirt/qemu.conf");
    }

    [Fact]
    public void Without_a_user_in_qemu_conf_qemu_runs_as_debians_libvirt_qemu_and_unset_security_driver_means_the_active_lsm()
    {
        var qemu = HostFileReader.Read(new MemoryFileTree().File("/etc/passwd", Passwd).File("/etc/group", Group)
            .File("/etc/libvirt/qemu.conf", "#user = \"libvirt-qemu\"\n").File("/sys/kernel/security/apparmor/profiles", "x\n"), "qemu:///system").Qemu;

        qemu.User.ShouldBe("libvirt-qemu");
        qemu.Groups.ShouldBe(["kvm", "libvirt-qemu"], ignoreOrder: true);
        qemu.SecurityDriver.ShouldBeNull();
        qemu.Confinement.ShouldBe("apparmor");
    }

    [Fact]
    public void A_session_uri_runs_qemu_as_this_login_whose_groups_may_lag_etc_group()
    {
        var qemu = HostFileReader.Read(new MemoryFileTree().File("/etc/passwd", Passwd).File("/etc/group", Group)
            .File("/proc/self/status", "Name:\tvireo\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t1000 \n"), "qemu:///session").Qemu;

        qemu.User.ShouldBe("alice");
        qemu.Groups.ShouldContain("kvm");
        qemu.SessionGroups.ShouldBe(["alice"]);
    }

    [Fact]
    public void Cpu_map_models_inherit_the_features_of_the_model_they_name()
    {
        var features = HostFileReader.Read(new MemoryFileTree()
            .File("/usr/share/libvirt/cpu_map/x86_Base.xml", "<cpus><model name='Base'><feature name='sse2'/></model></cpus>")
            .File("/usr/share/libvirt/cpu_map/x86_Child.xml", "<cpus><model name='Child'><model name='Base'/><feature name='vmx'/></model></cpus>")
            .File("/usr/share/libvirt/cpu_map/broken.xml", "<cpus"), "qemu:///system").CpuModelFeatures;

        features["Child"].ShouldBe(["sse2", "vmx"], ignoreOrder: true);
        features["Base"].ShouldBe(["sse2"]);
    }
}

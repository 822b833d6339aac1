using Vireo.Core;
using Vireo.DomainXml;

namespace Vireo.Virt.Tests;

public sealed class HypervisorSettingsTests
{
    [Fact]
    public void Defaults_are_novas()
    {
        var settings = new HypervisorSettings { InstallationId = "x" };

        settings.ConnectionUri.ShouldBe("qemu:///system");
        settings.VirtType.ShouldBe(DomainType.Kvm);
        settings.Arch.ShouldBe("x86_64");
        settings.EffectiveMachineType.ShouldBe("pc");
        settings.MemStatsPeriodSeconds.ShouldBe(10);
        settings.EffectiveCpuMode.ShouldBe(CpuMode.HostModel);
        settings.DiskCacheMode.ShouldBe(DiskCache.None);
    }

    [Fact]
    public void Configured_machine_type_and_cpu_mode_win_over_the_defaults()
    {
        var settings = new HypervisorSettings { InstallationId = "x", MachineType = "q35", CpuMode = CpuMode.None };

        settings.EffectiveMachineType.ShouldBe("q35");
        settings.EffectiveCpuMode.ShouldBe(CpuMode.None);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_hypervisor_without_an_installation_id_is_a_configuration_error(string id)
    {
        var e = Should.Throw<VireoException>(() => new LibvirtHypervisor(new HypervisorSettings { InstallationId = id }));

        e.Kind.ShouldBe(ErrorKind.Configuration);
    }
}

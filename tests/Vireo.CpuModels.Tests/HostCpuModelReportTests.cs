using Vireo.CpuModels;
using Vireo.DomainXml;
using static Vireo.Testing.FixtureCpuMap;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

public sealed class HostCpuModelReportTests
{
    private static readonly DomainCapabilitiesCpu Capabilities = new()
    {
        HostModelSupported = true,
        HostModel = new CpuConfig { Model = "Westmere", Vendor = "Intel", Features = [new CpuFeature("pcid")] },
        CustomSupported = true,
        CustomModels =
        [
            new CpuModelInfo("IvyBridge", CpuModelUsability.No, "Intel"),
            new CpuModelInfo("qemu64", CpuModelUsability.Yes, "unknown"),
            new CpuModelInfo("Nehalem", CpuModelUsability.Yes, "Intel"),
            new CpuModelInfo("Future-Model", CpuModelUsability.No, "Intel"),
        ],
    };

    [Fact]
    public void Models_come_oldest_first_as_the_map_orders_them_and_unknown_ones_last()
    {
        HostCpuModelReport.Build("qemu", Capabilities, X86).Models.Select(m => m.Name)
            .ShouldBe(["qemu64", "Nehalem", "IvyBridge", "Future-Model"]);
    }

    [Fact]
    public void Without_libvirts_blockers_an_unusable_model_lists_what_host_model_lacks()
    {
        var report = HostCpuModelReport.Build("qemu", Capabilities, X86);

        report.BlockersFromLibvirt.ShouldBeFalse();
        var ivyBridge = report.Models.Single(m => m.Name == "IvyBridge");
        ivyBridge.Blockers.ShouldBe(["vme", "pclmuldq", "x2apic", "tsc-deadline", "xsave", "avx", "f16c", "rdrand", "fsgsbase", "smep", "erms", "rdtscp"]);
        ivyBridge.Level.ShouldBe("v2");
        report.Models.Single(m => m.Name == "Nehalem").Blockers.ShouldBeEmpty();
        report.Models.Single(m => m.Name == "Future-Model").Blockers.ShouldBeNull();
    }

    [Fact]
    public void Libvirts_own_blockers_win_when_the_domain_capabilities_carry_them()
    {
        var xml = "<domainCapabilities><cpu><mode name='custom' supported='yes'><model usable='no' vendor='Intel'>IvyBridge</model>"
            + "<blockers model='IvyBridge'><feature name='x2apic'/><feature name='tsc-deadline'/></blockers></mode></cpu></domainCapabilities>";

        var report = HostCpuModelReport.Build("qemu", CpuXml.ParseDomainCapabilities(xml), X86, HostCpuModelReader.Blockers(xml));

        report.BlockersFromLibvirt.ShouldBeTrue();
        report.Models.Single().Blockers.ShouldBe(["x2apic", "tsc-deadline"]);
    }

    [Fact]
    public void A_vendor_libvirt_reports_as_unknown_is_taken_from_the_map()
    {
        HostCpuModelReport.Build("qemu", Capabilities, X86).Models.Single(m => m.Name == "qemu64").Vendor.ShouldBeNull();
        HostCpuModelReport.Build("qemu", Capabilities, X86).Models.Single(m => m.Name == "Nehalem").Vendor.ShouldBe("Intel");
    }

    [Fact]
    public async Task This_hosts_tcg_lists_ivybridge_as_unusable_and_nehalem_as_usable()
    {
        var report = await HostCpuModelReader.ReadAsync(Virsh.Uri, DomainType.Qemu, X86, TestContext.Current.CancellationToken);

        report.Models.Single(m => m.Name == "IvyBridge").Usable.ShouldBe(CpuModelUsability.No);
        report.Models.Single(m => m.Name == "IvyBridge").Blockers.ShouldNotBeNull().ShouldNotBeEmpty();
        report.Models.Single(m => m.Name == "Nehalem").Usable.ShouldBe(CpuModelUsability.Yes);
    }
}

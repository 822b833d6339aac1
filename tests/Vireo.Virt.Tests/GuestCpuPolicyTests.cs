using Vireo.Core;
using Vireo.DomainXml;
using Vireo.Virt.CpuModels;
using Vireo.Virt.Tests.CpuModels;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests;

public sealed class GuestCpuPolicyTests
{
    private static readonly CpuTopology TwoSockets = new(2, 1, 1);

    [Fact]
    public void Unset_cpu_mode_is_host_model_on_x86_as_nova_resolves_it()
    {
        Build(Specs.Qemu, 2).ShouldBe(new CpuConfig { Mode = CpuMode.HostModel, Match = CpuMatch.Exact, Topology = TwoSockets });
    }

    [Fact]
    public void Mode_none_keeps_only_the_topology_and_drops_extra_flags()
    {
        var settings = Specs.Qemu with { CpuMode = CpuMode.None, CpuExtraFlags = ["pcid"] };

        var cpu = Build(settings, 2);

        cpu.ShouldBe(new CpuConfig { Match = CpuMatch.Exact, Topology = TwoSockets });
        CpuXml.Format(cpu).ShouldNotContain("mode=");
    }

    [Fact]
    public void Custom_mode_uses_the_first_configured_model()
    {
        var settings = Specs.Qemu with { CpuMode = CpuMode.Custom, CpuModels = ["Nehalem", "Westmere"] };

        Build(settings, 2).ShouldBe(new CpuConfig { Mode = CpuMode.Custom, Match = CpuMatch.Exact, Model = "Nehalem", Topology = TwoSockets });
    }

    [Fact]
    public void Custom_mode_without_models_is_a_configuration_error_saying_what_to_set()
    {
        var e = Should.Throw<VireoException>(() => Build(Specs.Qemu with { CpuMode = CpuMode.Custom }, 1));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain("cpu_models");
    }

    [Fact]
    public void Host_passthrough_is_written_as_such()
    {
        Build(Specs.Kvm with { CpuMode = CpuMode.HostPassthrough }, 1).Mode.ShouldBe(CpuMode.HostPassthrough);
    }

    [Fact]
    public void Extra_flags_are_lower_cased_plus_requires_and_minus_disables()
    {
        var settings = Specs.Qemu with { CpuExtraFlags = ["PCID", "+ssbd", "-vmx", "pcid"] };

        Build(settings, 1).Features.ShouldBe(
        [
            new CpuFeature("pcid", CpuFeaturePolicy.Require),
            new CpuFeature("ssbd", CpuFeaturePolicy.Require),
            new CpuFeature("vmx", CpuFeaturePolicy.Disable),
        ]);
    }

    [Fact]
    public void A_flag_both_required_and_disabled_is_a_configuration_error()
    {
        Should.Throw<VireoException>(() => Build(Specs.Qemu with { CpuExtraFlags = ["+vmx", "-vmx"] }, 1))
            .Kind.ShouldBe(ErrorKind.Configuration);
    }

    [Fact]
    public void Model_names_are_matched_to_libvirts_spelling_in_any_case()
    {
        var settings = Specs.Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["ivybridge", "SKYLAKE-CLIENT-IBRS"] };

        GuestCpuPolicy.Build(settings, 1, Map).Model.ShouldBe("IvyBridge");
    }

    [Fact]
    public void An_unknown_model_anywhere_in_cpu_models_is_a_configuration_error_naming_it()
    {
        // Nova maps every configured model, so a typo in a later one fails too.
        var settings = Specs.Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["Nehalem", "Westmare"] };

        var e = Should.Throw<VireoException>(() => GuestCpuPolicy.Build(settings, 1, Map));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain("[libvirt] cpu_models");
        e.Message.ShouldContain("'Westmare'");
        e.Message.ShouldContain("vireo cpu models");
    }

    [Fact]
    public void Without_a_cpu_map_model_names_are_written_as_configured()
    {
        var settings = Specs.Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["ivybridge"] };

        GuestCpuPolicy.Build(settings, 1, cpuMaps: null).Model.ShouldBe("ivybridge");
    }

    [Fact]
    public void Repeated_signs_collapse_as_novas_lstrip_does()
    {
        var settings = Specs.Qemu with { CpuExtraFlags = ["++pcid", "--VMX", " ssbd "] };

        Build(settings, 1).Features.ShouldBe(
        [
            new CpuFeature("pcid", CpuFeaturePolicy.Require),
            new CpuFeature("ssbd", CpuFeaturePolicy.Require),
            new CpuFeature("vmx", CpuFeaturePolicy.Disable),
        ]);
    }

    [Theory]
    [InlineData("+")]
    [InlineData("-+vmx")]
    [InlineData("+-vmx")]
    public void A_flag_of_signs_only_or_mixed_signs_is_a_configuration_error(string flag)
    {
        var e = Should.Throw<VireoException>(() => Build(Specs.Qemu with { CpuExtraFlags = [flag] }, 1));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain($"'{flag}'");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void Each_vcpu_is_a_socket_of_one_core_and_one_thread(int vcpus)
    {
        Build(Specs.Kvm, vcpus).Topology.ShouldBe(new CpuTopology(vcpus, 1, 1));
    }

    /// <summary>libvirt 9.0's map kept with the tests (Fixtures/cpu_map), not the one installed.</summary>
    private static CpuMapSet Map => FixtureCpuMap.Maps;

    private static CpuConfig Build(HypervisorSettings settings, int vcpus) => GuestCpuPolicy.Build(settings, vcpus, Map);
}

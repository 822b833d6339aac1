using Vireo.Core;
using Vireo.DomainXml;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests;

public sealed class GuestCpuPolicyTests
{
    private static readonly CpuTopology TwoSockets = new(2, 1, 1);

    [Fact]
    public void Unset_cpu_mode_is_host_model_on_x86_as_nova_resolves_it()
    {
        GuestCpuPolicy.Build(Specs.Qemu, 2).ShouldBe(new CpuConfig { Mode = CpuMode.HostModel, Topology = TwoSockets });
    }

    [Fact]
    public void Mode_none_keeps_only_the_topology_and_drops_extra_flags()
    {
        var settings = Specs.Qemu with { CpuMode = GuestCpuMode.None, CpuExtraFlags = ["pcid"] };

        var cpu = GuestCpuPolicy.Build(settings, 2);

        cpu.ShouldBe(new CpuConfig { Topology = TwoSockets });
        CpuXml.Format(cpu).ShouldNotContain("mode=");
    }

    [Fact]
    public void Custom_mode_uses_the_first_configured_model()
    {
        var settings = Specs.Qemu with { CpuMode = GuestCpuMode.Custom, CpuModels = ["Nehalem", "Westmere"] };

        GuestCpuPolicy.Build(settings, 2).ShouldBe(new CpuConfig { Mode = CpuMode.Custom, Model = "Nehalem", Topology = TwoSockets });
    }

    [Fact]
    public void Custom_mode_without_models_is_a_configuration_error_saying_what_to_set()
    {
        var e = Should.Throw<VireoException>(() => GuestCpuPolicy.Build(Specs.Qemu with { CpuMode = GuestCpuMode.Custom }, 1));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain("cpu_models");
    }

    [Fact]
    public void Host_passthrough_is_written_as_such()
    {
        GuestCpuPolicy.Build(Specs.Kvm with { CpuMode = GuestCpuMode.HostPassthrough }, 1).Mode.ShouldBe(CpuMode.HostPassthrough);
    }

    [Fact]
    public void Extra_flags_are_lower_cased_plus_requires_and_minus_disables()
    {
        var settings = Specs.Qemu with { CpuExtraFlags = ["PCID", "+ssbd", "-vmx", "pcid"] };

        GuestCpuPolicy.Build(settings, 1).Features.ShouldBe(
        [
            new CpuFeature("pcid", CpuFeaturePolicy.Require),
            new CpuFeature("ssbd", CpuFeaturePolicy.Require),
            new CpuFeature("vmx", CpuFeaturePolicy.Disable),
        ]);
    }

    [Fact]
    public void A_flag_both_required_and_disabled_is_a_configuration_error()
    {
        Should.Throw<VireoException>(() => GuestCpuPolicy.Build(Specs.Qemu with { CpuExtraFlags = ["+vmx", "-vmx"] }, 1))
            .Kind.ShouldBe(ErrorKind.Configuration);
    }
}

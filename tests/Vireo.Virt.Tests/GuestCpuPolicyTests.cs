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
        e.Message.ShouldContain(CpuFactValues.Source);
        e.Message.ShouldContain("x86_64");
        e.Message.ShouldContain("Westmere, Westmere-IBRS");
        e.Message.ShouldContain($"{CpuFactValues.Libvirt90X86Models.Length} models");
    }

    [Fact]
    public void Without_model_names_they_are_written_as_configured()
    {
        var settings = Specs.Kvm with { CpuMode = CpuMode.Custom, CpuModels = ["ivybridge"] };

        GuestCpuPolicy.Build(settings, 1, modelNames: null).Model.ShouldBe("ivybridge");
    }

    [Fact]
    public void Names_are_spelled_as_the_facts_given_say_whatever_a_cpu_map_holds()
    {
        // A daemon of another libvirt may know a model this host's map does not, or spell one differently.
        var daemon = new CpuModelNames("x86_64", ["qemu64", "Vireo-Future-Model", "westmere"], "libvirt at qemu+tcp://elsewhere/system");
        var settings = Specs.Qemu with { CpuMode = CpuMode.Custom, CpuModels = ["VIREO-FUTURE-MODEL", "Westmere"] };

        GuestCpuPolicy.Build(settings, 1, daemon).Model.ShouldBe("Vireo-Future-Model");
        GuestCpuPolicy.Build(settings with { CpuModels = ["Westmere"] }, 1, daemon).Model.ShouldBe("westmere");
        var e = Should.Throw<VireoException>(() => GuestCpuPolicy.Build(settings with { CpuModels = ["Nehalem"] }, 1, daemon));
        e.Message.ShouldBe(
            "[libvirt] cpu_models names CPU model 'Nehalem', which libvirt at qemu+tcp://elsewhere/system does not know for x86_64; use one of its 3 models: qemu64, Vireo-Future-Model, westmere");
    }

    [Theory]
    [InlineData("x86_64", CpuMode.Custom, new[] { "westmere" }, true)]
    [InlineData("i686", null, new[] { "qemu32" }, true)]
    [InlineData("ppc64le", CpuMode.Custom, new[] { "POWER9" }, true)]
    [InlineData("aarch64", CpuMode.Custom, new[] { "cortex-a57" }, false)]
    [InlineData("x86_64", CpuMode.Custom, new[] { " " }, false)]
    [InlineData("x86_64", CpuMode.HostModel, new string[0], false)]
    public void The_daemons_names_are_needed_only_where_nova_maps_configured_names(string arch, CpuMode? mode, string[] models, bool needed)
    {
        GuestCpuPolicy.NeedsModelNames(Specs.Qemu with { Arch = arch, CpuMode = mode, CpuModels = models }).ShouldBe(needed);
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

    /// <summary>libvirt 9.0's x86 model names as plain values (the same as the map kept in Fixtures/cpu_map), not a daemon's or the installed map's.</summary>
    private static CpuModelNames Map => CpuFactValues.X86;

    private static CpuConfig Build(HypervisorSettings settings, int vcpus) => GuestCpuPolicy.Build(settings, vcpus, Map);
}

using System.Xml.Linq;
using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests.Integration;

/// <summary>The CPU facts of the real libvirtd: the names and features the driver uses come from it.</summary>
public sealed class DaemonCpuFactsInLibvirtTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Model_names_are_exactly_what_the_daemon_lists()
    {
        var names = await host.Hypervisor.CpuFacts.ModelNamesAsync("x86_64", Cancel);

        names.Names.ShouldBe(host.Raw.GetCpuModelNames("x86_64"));
        names.Resolve("westmere").ShouldBe("Westmere");
        names.Resolve("opteron_g2").ShouldBe("Opteron_G2");
    }

    [Theory(Timeout = 120_000)]
    [InlineData("EPYC", "svm")]
    [InlineData("qemu64", "svm")]
    [InlineData("Westmere", null)]
    public async Task A_models_features_are_the_daemons_expansion_with_vmx_or_svm_as_its_map_says(string model, string? virtualization)
    {
        var features = (await host.Hypervisor.CpuFacts.ModelFeaturesAsync("qemu", "x86_64", model, Cancel)).ShouldNotBeNull();

        features.Model.ShouldBe(model);
        features.Has("sse2").ShouldBeTrue();
        EffectiveCpuReaderVirtualization(features).ShouldBe(virtualization);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_model_the_daemon_does_not_know_has_unknown_features()
    {
        (await host.Hypervisor.CpuFacts.ModelFeaturesAsync("qemu", "x86_64", "Vireo-No-Such-Model", Cancel)).ShouldBeNull();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_custom_guest_is_defined_with_the_daemons_spelling_of_a_lower_case_model()
    {
        await using var hypervisor = host.NewHypervisor(host.Settings with { CpuMode = CpuMode.Custom, CpuModels = ["westmere"] });
        var spec = host.NewSpec("cpu-spelling");
        await using var scope = new GuestScope(host, spec.InstanceId);

        await hypervisor.DefineGuestAsync(spec, Cancel);

        using var domain = host.Raw.LookupDomainByUuid(spec.InstanceId);
        ((string?)XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("cpu")?.Element("model")).ShouldBe("Westmere");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unknown_model_is_refused_before_anything_is_defined_naming_the_daemons_models()
    {
        await using var hypervisor = host.NewHypervisor(host.Settings with { CpuMode = CpuMode.Custom, CpuModels = ["westmare"] });
        var spec = host.NewSpec("cpu-unknown");
        await using var scope = new GuestScope(host, spec.InstanceId);

        var e = await Should.ThrowAsync<VireoException>(() => hypervisor.DefineGuestAsync(spec, Cancel));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain("[libvirt] cpu_models names CPU model 'westmare'");
        e.Message.ShouldContain($"libvirt at {LibvirtHostFixture.Uri}");
        e.Message.ShouldContain("Westmere");
        host.Raw.TryLookupDomainByUuid(spec.InstanceId).ShouldBeNull();
    }

    private static string? EffectiveCpuReaderVirtualization(CpuModelFeatures features) =>
        EffectiveCpuReader.Virtualization(Vireo.DomainXml.CpuXml.Parse($"<cpu mode='custom'><model>{features.Model}</model></cpu>"), features).Feature;
}

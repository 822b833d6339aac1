using Vireo.Core;
using Vireo.CpuModels;
using Vireo.DomainXml;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

/// <summary>
/// The seed's nested-guest rules over mode x extra flags x host feature x nested parameter, with
/// model features from the installed CPU map (EPYC and qemu64 carry svm; Nehalem and Westmere
/// carry neither; no libvirt model carries vmx, so "HostModelWithVmx" stands for a host-model CPU
/// libvirt resolved with vmx added).
/// </summary>
public sealed class NestedExposureTests
{
    private static NestedFacts Facts(string virt, string mode, string flags, string hostFlag, string? nested, string? model)
    {
        var map = FixtureCpuMap.X86;
        var features = model switch
        {
            null => null,
            "HostModelWithVmx" => map.FeatureNames(map.FindModel("Nehalem")!).Append("vmx").ToHashSet(StringComparer.Ordinal),
            _ => map.FeatureNames(map.FindModel(model)!).ToHashSet(StringComparer.Ordinal),
        };
        return new NestedFacts
        {
            Kvm = virt == "kvm",
            Mode = mode switch
            {
                "host-passthrough" => CpuMode.HostPassthrough,
                "host-model" => CpuMode.HostModel,
                "custom" => CpuMode.Custom,
                _ => CpuMode.None,
            },
            ExtraFlags = [.. flags.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f[0] == '-' ? new CpuFeature(f[1..], CpuFeaturePolicy.Disable) : new CpuFeature(f, CpuFeaturePolicy.Require))],
            HostFlags = hostFlag.Length == 0 ? new HashSet<string>() : new HashSet<string>(StringComparer.Ordinal) { hostFlag, "lm" },
            Nested = new NestedParameter(hostFlag switch { "vmx" => "kvm_intel", "svm" => "kvm_amd", _ => null }, nested),
            Model = model,
            ModelFeatures = features,
            HostPassthroughSupported = virt == "kvm",
            DefaultModelFeatures = map.FeatureNames(map.FindModel("qemu64")!).ToHashSet(StringComparer.Ordinal),
        };
    }

    [Theory]
    // KVM on an Intel host: host-passthrough is automatic once nested=Y.
    [InlineData("kvm", "host-passthrough", "", "vmx", "Y", null, true, "vmx", null)]
    [InlineData("kvm", "host-passthrough", "", "vmx", "1", null, true, "vmx", null)]
    [InlineData("kvm", "host-passthrough", "", "vmx", "N", null, false, "vmx", "options kvm_intel nested=1")]
    [InlineData("kvm", "host-passthrough", "", "vmx", null, null, false, "vmx", "options kvm_intel nested=1")]
    [InlineData("kvm", "host-passthrough", "-vmx", "vmx", "Y", null, false, "vmx", "remove -vmx")]
    [InlineData("kvm", "host-passthrough", "", "", null, null, false, null, "VT-x or AMD-V")]
    // host-model: when its model has vmx, or cpu_model_extra_flags adds it.
    [InlineData("kvm", "host-model", "", "vmx", "Y", "HostModelWithVmx", true, "vmx", null)]
    [InlineData("kvm", "host-model", "", "vmx", "Y", "Nehalem", false, "vmx", "add cpu_model_extra_flags = vmx")]
    [InlineData("kvm", "host-model", "vmx", "vmx", "Y", "Nehalem", true, "vmx", null)]
    [InlineData("kvm", "host-model", "vmx", "vmx", "N", "Nehalem", false, "vmx", "options kvm_intel nested=1")]
    [InlineData("kvm", "host-model", "-vmx", "vmx", "Y", "HostModelWithVmx", false, "vmx", "remove -vmx")]
    [InlineData("kvm", "host-model", "", "vmx", "Y", null, null, "vmx", "start libvirtd")]
    // custom: through extra flags, the seed's vmx,pcid.
    [InlineData("kvm", "custom", "vmx,pcid", "vmx", "Y", "Nehalem", true, "vmx", null)]
    [InlineData("kvm", "custom", "", "vmx", "Y", "Nehalem", false, "vmx", "add cpu_model_extra_flags = vmx,pcid")]
    [InlineData("kvm", "custom", "vmx,pcid", "vmx", "N", "Nehalem", false, "vmx", "options kvm_intel nested=1")]
    [InlineData("kvm", "custom", "vmx", "", null, "Nehalem", false, "vmx", "remove vmx")]
    // none: Nova drops the extra flags; qemu64's svm reaches a guest only where KVM can give svm.
    [InlineData("kvm", "none", "", "vmx", "Y", null, false, "vmx", "cpu_model_extra_flags = vmx")]
    [InlineData("kvm", "none", "vmx", "vmx", "Y", null, false, "vmx", "cpu_mode = host-passthrough")]
    // KVM on an AMD host.
    [InlineData("kvm", "host-passthrough", "", "svm", "1", null, true, "svm", null)]
    [InlineData("kvm", "host-passthrough", "", "svm", "0", null, false, "svm", "options kvm_amd nested=1")]
    [InlineData("kvm", "none", "", "svm", "1", null, true, "svm", null)]
    [InlineData("kvm", "none", "", "svm", "0", null, false, "svm", "cpu_model_extra_flags = svm")]
    [InlineData("kvm", "host-model", "", "svm", "1", "EPYC", true, "svm", null)]
    // TCG (this machine): svm is emulated, vmx is not; the nested parameter does not matter.
    [InlineData("qemu", "host-model", "", "", null, "EPYC", true, "svm", null)]
    [InlineData("qemu", "host-model", "", "vmx", "N", "EPYC", true, "svm", null)]
    [InlineData("qemu", "host-model", "vmx", "", null, "EPYC", false, "vmx", "replace vmx with svm")]
    [InlineData("qemu", "host-model", "-svm", "", null, "EPYC", false, "svm", "remove -svm")]
    [InlineData("qemu", "custom", "vmx,pcid", "", null, "Nehalem", false, "vmx", "replace vmx with svm")]
    [InlineData("qemu", "custom", "svm", "", null, "Nehalem", true, "svm", null)]
    [InlineData("qemu", "custom", "", "", null, "Westmere", false, "svm", "add cpu_model_extra_flags = svm")]
    [InlineData("qemu", "host-passthrough", "", "", null, null, false, null, "cpu_mode = host-model")]
    [InlineData("qemu", "none", "", "", null, null, true, "svm", null)]
    public void Exposure_follows_mode_flags_host_feature_and_nested_parameter(
        string virt, string mode, string flags, string hostFlag, string? nested, string? model, bool? exposed, string? feature, string? change)
    {
        var report = NestedExposure.Decide(Facts(virt, mode, flags, hostFlag, nested, model));

        report.Exposed.ShouldBe(exposed, report.Reason);
        report.Feature.ShouldBe(feature, report.Reason);
        report.Reason.ShouldNotContain("\n");
        report.Reason.ShouldNotBeNullOrWhiteSpace();
        if (change is null)
        {
            report.Change.ShouldBeNull(report.Reason);
        }
        else
        {
            report.Change.ShouldNotBeNull(report.Reason);
            report.Change.ShouldContain(change);
        }
    }

    [Fact]
    public void Host_model_with_vmx_under_tcg_says_libvirt_refuses_to_start_the_guest()
    {
        var report = NestedExposure.Decide(Facts("qemu", "host-model", "vmx", "", null, "EPYC"));

        report.Reason.ShouldBe(
            "cpu_model_extra_flags requires vmx but TCG (virt_type=qemu) does not emulate vmx, so libvirt refuses to start such a guest (\"Host CPU does not provide required features\")");
    }

    [Fact]
    public void Custom_with_vmx_under_tcg_says_qemu_drops_it_silently()
    {
        NestedExposure.Decide(Facts("qemu", "custom", "vmx,pcid", "", null, "Nehalem")).Reason
            .ShouldContain("QEMU silently drops it and the guest runs without it");
    }

    [Fact]
    public void Mode_none_says_guests_get_qemu64s_svm_by_default_and_that_the_extra_flags_are_ignored()
    {
        NestedExposure.Decide(Facts("qemu", "none", "vmx", "", null, null)).Reason.ShouldBe(
            "cpu_mode=none leaves the CPU to QEMU's default qemu64 and ignores cpu_model_extra_flags, and qemu64 carries svm, which TCG emulates: guests get it by default, not by configuration");
    }

    [Theory]
    [InlineData("Y", true, false)]
    [InlineData("y", true, false)]
    [InlineData("1", true, false)]
    [InlineData("N", false, false)]
    [InlineData("0", false, false)]
    [InlineData(null, false, true)]
    public void The_nested_parameter_reads_y_and_1_as_on(string? value, bool enabled, bool absent)
    {
        var parameter = new NestedParameter("kvm_intel", value);

        parameter.Enabled.ShouldBe(enabled);
        parameter.Absent.ShouldBe(absent);
        parameter.Path.ShouldBe("/sys/module/kvm_intel/parameters/nested");
        new NestedParameter(null, null).Path.ShouldBeNull();
    }

    [Fact]
    public void Without_a_vendor_module_the_parameter_says_there_is_none()
    {
        new NestedParameter(null, null).Describe().ShouldBe("neither kvm_intel nor kvm_amd is loaded, so there is no nested parameter");
    }
}

using Vireo.CpuModels;
using static Vireo.Testing.FixtureCpuMap;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

public sealed class CpuComparisonTests
{
    private static readonly CpuDescription IvyBridgeHost = Cpu(Host("IvyBridge", "Intel", "pcid"));

    private static CpuComparisonResult Compare(string guest, CpuDescription? host = null) =>
        CpuComparison.Compare(X86, host ?? IvyBridgeHost, Cpu(guest));

    [Fact]
    public void The_same_cpu_is_identical()
    {
        var result = Compare("<cpu mode='custom' match='exact'><model>IvyBridge</model><feature policy='require' name='pcid'/></cpu>");

        result.Verdict.ShouldBe(CpuComparisonVerdict.Identical);
        result.Compatible.ShouldBeTrue();
        result.Reason.ShouldBeNull();
    }

    [Fact]
    public void An_older_model_is_a_superset_listing_what_the_host_has_beyond_it()
    {
        var result = Compare("<cpu mode='custom' match='exact'><model>SandyBridge</model></cpu>");

        result.Verdict.ShouldBe(CpuComparisonVerdict.Superset);
        result.Extra.ShouldBe(["vme", "pcid", "f16c", "rdrand", "fsgsbase", "smep", "erms"]);
    }

    [Fact]
    public void A_guest_needing_features_the_host_lacks_is_incompatible_naming_them_as_libvirt_does()
    {
        var result = Compare("<cpu mode='custom' match='exact'><model>Haswell-noTSX</model></cpu>");

        result.Verdict.ShouldBe(CpuComparisonVerdict.Incompatible);
        result.Missing.ShouldBe(["fma", "movbe", "invpcid", "bmi1", "avx2", "bmi2"], ignoreOrder: true);
        result.Reason.ShouldBe($"Host CPU does not provide required features: {string.Join(", ", result.Missing)}");
    }

    [Fact]
    public void Disabled_optional_and_forced_features_are_not_required()
    {
        var result = Compare(
            "<cpu mode='custom' match='exact'><model>Haswell-noTSX</model>"
            + "<feature policy='disable' name='fma'/><feature policy='optional' name='movbe'/><feature policy='force' name='invpcid'/>"
            + "<feature policy='disable' name='bmi1'/><feature policy='disable' name='avx2'/><feature policy='disable' name='bmi2'/></cpu>");

        result.Compatible.ShouldBeTrue();
    }

    [Fact]
    public void A_forbidden_feature_the_host_has_is_incompatible()
    {
        var result = Compare("<cpu mode='custom' match='exact'><model>Nehalem</model><feature policy='forbid' name='aes'/></cpu>");

        result.Verdict.ShouldBe(CpuComparisonVerdict.Incompatible);
        result.Forbidden.ShouldBe(["aes"]);
        result.Reason.ShouldBe("Host CPU provides forbidden features: aes");
    }

    [Fact]
    public void A_strict_guest_refuses_a_host_with_more()
    {
        var result = Compare("<cpu mode='custom' match='strict'><model>SandyBridge</model></cpu>");

        result.Verdict.ShouldBe(CpuComparisonVerdict.Incompatible);
        result.Reason.ShouldStartWith("Host CPU does not strictly match guest CPU: Extra features: ");
    }

    [Fact]
    public void A_guest_of_another_vendor_is_incompatible()
    {
        Compare("<cpu mode='custom' match='exact'><model>Nehalem</model><vendor>AMD</vendor></cpu>")
            .Reason.ShouldBe("host CPU vendor does not match required CPU vendor AMD");
    }

    [Fact]
    public void Pcid_on_nehalem_is_incompatible_with_this_hosts_tcg_host_model()
    {
        // docs/host-notes.md: TCG cannot provide pcid; QEMU would start the guest and silently drop it.
        var capabilities = Virsh.Run("domcapabilities", "--virttype", "qemu").Output!;
        var tcg = CpuDescriptionReader.Read(capabilities, "domcapabilities.xml").Single();

        var result = Compare("<cpu mode='custom' match='exact'><model>Nehalem</model><feature policy='require' name='pcid'/></cpu>", tcg);

        result.Missing.ShouldBe(["pcid"]);
    }
}

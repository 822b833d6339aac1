using Vireo.Core;
using Vireo.CpuModels;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

public sealed class CpuMapReaderTests
{
    private static CpuMap X86 => FixtureCpuMap.X86;

    [Fact]
    public void Installed_map_has_the_x86_vendors_with_their_cpuid_strings()
    {
        X86.Vendors.ShouldContain(new CpuVendorDefinition("Intel", "GenuineIntel"));
        X86.Vendors.ShouldContain(new CpuVendorDefinition("AMD", "AuthenticAMD"));
        X86.Vendors.ShouldContain(new CpuVendorDefinition("Hygon", "HygonGenuine"));
    }

    [Theory]
    [InlineData("vmx", 0x01u, 0u, CpuRegister.Ecx, 0x00000020u)]
    [InlineData("pcid", 0x01u, 0u, CpuRegister.Ecx, 0x00020000u)]
    [InlineData("pdpe1gb", 0x80000001u, 0u, CpuRegister.Edx, 0x04000000u)]
    [InlineData("md-clear", 0x07u, 0u, CpuRegister.Edx, 0x00000400u)]
    [InlineData("ssbd", 0x07u, 0u, CpuRegister.Edx, 0x80000000u)]
    public void Features_are_the_cpuid_bits_the_map_gives_them(string name, uint leaf, uint subLeaf, CpuRegister register, uint mask)
    {
        var feature = X86.FindFeature(name).ShouldNotBeNull();

        feature.Data.ShouldBe([new CpuDataItem(CpuDataKind.Cpuid, leaf, subLeaf, register, mask)]);
        feature.Bits.Count.ShouldBe(1);
    }

    [Fact]
    public void Msr_features_are_bits_of_the_msr_they_name()
    {
        X86.FindFeature("rdctl-no").ShouldNotBeNull().Data.ShouldBe([new CpuDataItem(CpuDataKind.Msr, 0x10a, 0, CpuRegister.Eax, 0x1)]);
    }

    [Fact]
    public void Every_feature_has_bits_of_its_own()
    {
        var features = X86.Features;

        features.ShouldAllBe(f => !f.Bits.IsEmpty);
        features.Select(f => f.Bits).Distinct().Count().ShouldBe(features.Count);
    }

    [Fact]
    public void Aliases_lead_to_libvirts_feature_name()
    {
        X86.FindFeatureByAlias("sse3").ShouldNotBeNull().Name.ShouldBe("pni");
        X86.FindFeature("sse3").ShouldBeNull();
    }

    [Fact]
    public void Features_that_block_migration_are_marked()
    {
        X86.FindFeature("invtsc")!.Migratable.ShouldBeFalse();
        X86.FindFeature("xsaves")!.Migratable.ShouldBeFalse();
        X86.FindFeature("vmx")!.Migratable.ShouldBeTrue();
    }

    [Fact]
    public void Models_come_in_index_order_with_vendor_signatures_and_features()
    {
        X86.Models[0].Name.ShouldBe("486");
        var nehalem = X86.FindModel("Nehalem").ShouldNotBeNull();
        var ivyBridge = X86.FindModel("IvyBridge").ShouldNotBeNull();

        nehalem.Order.ShouldBeLessThan(ivyBridge.Order);
        ivyBridge.Vendor.ShouldBe("Intel");
        ivyBridge.Signatures.ShouldContain(new CpuSignature(6, 58));
        X86.FeatureNames(ivyBridge).ShouldContain("aes");
        X86.FeatureNames(ivyBridge).ShouldNotContain("pcid");
        X86.FindModel("qemu64")!.Vendor.ShouldBeNull();
    }

    [Fact]
    public void Removed_features_and_decode_flags_are_kept()
    {
        var icelake = X86.FindModel("Icelake-Server")!;

        icelake.RemovedFeatures.ShouldContain("intel-pt");
        X86.FeatureNames(icelake).ShouldNotContain("intel-pt");
        X86.FindModel("Icelake-Server-noTSX")!.DecodeGuest.ShouldBeFalse();
        X86.FindModel("Icelake-Server-noTSX")!.DecodeHost.ShouldBeTrue();
        X86.FindModel("cpu64-rhel6")!.DecodeHost.ShouldBeFalse();
    }

    [Theory]
    [InlineData("ivybridge", "IvyBridge")]
    [InlineData("SKYLAKE-CLIENT-IBRS", "Skylake-Client-IBRS")]
    [InlineData("opteron_g2", "Opteron_G2")]
    [InlineData("Nehalem", "Nehalem")]
    public void Model_names_resolve_to_libvirts_spelling_in_any_case(string given, string spelled)
    {
        X86.ResolveModelName(given).ShouldBe(spelled);
    }

    [Fact]
    public void An_unknown_model_name_resolves_to_nothing_and_its_message_says_what_to_run()
    {
        X86.ResolveModelName("Westmare").ShouldBeNull();
        X86.UnknownModelMessage("Westmare", "[libvirt] cpu_models").ShouldContain("vireo cpu models");
    }

    [Fact]
    public void Other_architectures_have_their_model_names()
    {
        var maps = FixtureCpuMap.Maps;

        maps.ForGuestArch("ppc64le").ShouldNotBeNull().FindModel("POWER9").ShouldNotBeNull();
        maps.ForGuestArch("aarch64").ShouldNotBeNull().FindModel("cortex-a57").ShouldNotBeNull();
        maps.ForGuestArch("i686").ShouldBeSameAs(maps.X86);
        maps.ForGuestArch("s390x").ShouldBeNull();
        maps.ForGuestArch("ppc64")!.HasFeatureBits.ShouldBeFalse();
    }

    [Fact]
    public void A_model_named_after_another_inherits_its_vendor_signatures_and_features_as_versioned_aliases_do()
    {
        var map = Synthetic(
            """
            <cpus><arch name='x86'>
              <vendor name='Intel' string='GenuineIntel'/>
              <feature name='fpu'><cpuid eax_in='0x01' edx='0x00000001'/></feature>
              <feature name='pcid'><alias name='PCID' source='test'/><cpuid eax_in='1' ecx='0x00020000'/></feature>
              <feature name='arch-cap'><msr index='0x10a' edx='0' eax='010'/></feature>
              <include filename='x86_Base.xml'/>
              <model name='Base-v2'>
                <decode host='on' guest='off'/>
                <model name='Base'/>
                <feature name='pcid'/>
                <feature name='fpu' removed='yes'/>
              </model>
            </arch></cpus>
            """,
            ("x86_Base.xml", "<cpus><model name='Base'><signature family='6' model='58'/><vendor name='Intel'/><feature name='fpu'/></model></cpus>"));

        var v2 = map.FindModel("Base-v2").ShouldNotBeNull();

        v2.Ancestor.ShouldBe("Base");
        v2.Vendor.ShouldBe("Intel");
        v2.Signatures.ShouldBe([new CpuSignature(6, 58)]);
        map.FeatureNames(v2).ShouldBe(["fpu", "pcid"]);
        v2.RemovedFeatures.ShouldBe(["fpu"]);
        v2.DecodeGuest.ShouldBeFalse();
        map.FindFeature("arch-cap")!.Data.ShouldBe([new CpuDataItem(CpuDataKind.Msr, 0x10a, 0, CpuRegister.Eax, 8)]);
    }

    [Theory]
    [InlineData("<model name='A'><model name='Later'/></model>", "not defined before it")]
    [InlineData("<model name='A'><feature name='nosuch'/></model>", "nosuch")]
    [InlineData("<model name='A'><vendor name='Acme'/></model>", "Acme")]
    [InlineData("<feature name='bare'/>", "no CPUID or MSR bits")]
    [InlineData("<feature name='f'><cpuid eax_in='zz' edx='1'/></feature>", "'zz' is not a number")]
    public void A_broken_map_is_a_configuration_error_saying_to_reinstall_libvirt(string element, string what)
    {
        var e = Should.Throw<VireoException>(() => Synthetic($"<cpus><arch name='x86'><vendor name='Intel' string='GenuineIntel'/>{element}</arch></cpus>"));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain(what);
        e.Message.ShouldContain("reinstall libvirt");
    }

    [Fact]
    public void A_missing_map_file_names_the_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"vireo-cpumap-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "index.xml"), "<cpus><arch name='x86'><include filename='x86_gone.xml'/></arch></cpus>");

            var e = Should.Throw<VireoException>(() => CpuMapReader.Load(directory));

            e.Message.ShouldContain("x86_gone.xml");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static CpuMap Synthetic(string index, params (string Name, string Xml)[] files) =>
        CpuMapReader.Read(name => name == "index.xml" ? index : files.Single(f => f.Name == name).Xml).X86;
}

using Vireo.CpuModels;
using static Vireo.Testing.FixtureCpuMap;
using Vireo.Testing;

namespace Vireo.CpuModels.Tests;

public sealed class X86LevelTests
{
    [Theory]
    [InlineData("486", null)]
    [InlineData("qemu32", null)]
    [InlineData("qemu64", "v1")]
    [InlineData("Penryn", "v1")]
    [InlineData("Nehalem", "v2")]
    [InlineData("IvyBridge", "v2")]
    [InlineData("Skylake-Client-IBRS", "v3")]
    [InlineData("EPYC", "v3")]
    [InlineData("Cascadelake-Server", "v4")]
    [InlineData("Icelake-Server", "v4")]
    public void A_models_level_is_the_highest_whose_features_it_all_has(string model, string? level)
    {
        X86Level.Of(X86, X86.FindModel(model)!.Bits).ShouldBe(level);
    }

    [Fact]
    public void Libvirts_haswell_model_is_v2_because_it_lacks_f16c_and_abm_which_a_real_haswell_has()
    {
        var haswell = X86.FindModel("Haswell")!.Bits;

        X86Level.Of(X86, haswell).ShouldBe("v2");
        X86Level.Missing(X86, haswell, "v3").ShouldBe(["f16c", "abm"]);
        X86Level.Of(X86, haswell.Union(X86.BitsOf(["f16c", "abm"]))).ShouldBe("v3");
    }
}

namespace Vireo.Core.Tests;

public sealed class CpuModesTests
{
    [Theory]
    [InlineData("x86_64", CpuMode.HostModel)]
    [InlineData("i686", CpuMode.HostModel)]
    [InlineData("aarch64", CpuMode.HostPassthrough)]
    public void An_unset_mode_is_novas_default_for_the_architecture(string arch, CpuMode expected)
    {
        CpuModes.Effective(null, arch).ShouldBe(expected);
    }

    [Theory]
    [InlineData(CpuMode.None)]
    [InlineData(CpuMode.Custom)]
    [InlineData(CpuMode.HostModel)]
    [InlineData(CpuMode.HostPassthrough)]
    public void A_configured_mode_is_kept_on_every_architecture(CpuMode configured)
    {
        CpuModes.Effective(configured, "x86_64").ShouldBe(configured);
        CpuModes.Effective(configured, "aarch64").ShouldBe(configured);
    }

    [Theory]
    [InlineData("host-model", CpuMode.HostModel)]
    [InlineData("host-passthrough", CpuMode.HostPassthrough)]
    [InlineData("custom", CpuMode.Custom)]
    [InlineData("none", CpuMode.None)]
    public void Novas_four_words_read_and_write_the_same_mode(string text, CpuMode mode)
    {
        CpuModes.TryParseNova(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(mode);
        CpuModes.NovaName(mode).ShouldBe(text);
    }

    [Theory]
    [InlineData("maximum")]
    [InlineData("Host-Model")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_nova_cpu_mode(string? text)
    {
        CpuModes.TryParseNova(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void Maximum_has_no_nova_conf_word()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => CpuModes.NovaName(CpuMode.Maximum));
    }
}

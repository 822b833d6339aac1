using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>The declared disk_format must be what the content is, with Nova's one exception (a partitioned disk declared raw).</summary>
public sealed class DeclaredFormatTests(QemuImages images)
{
    private static string[] Names(InspectionResult result) => [.. result.Violations.Select(v => v.Name)];

    [Fact]
    public void A_qcow2_declared_raw_is_a_mismatch_naming_both()
    {
        var path = images.Create("declared.qcow2", "16M", "-f", "qcow2");

        var result = QemuImages.Inspect(path, "raw");

        result.DetectedFormat.ShouldBe(DiskFormat.Qcow2);
        Names(result).ShouldBe([ViolationNames.FormatMismatch]);
        result.Violations[0].Message.ShouldContain("declared as raw but its content is qcow2");
    }

    [Fact]
    public void A_raw_image_declared_qcow2_is_a_mismatch()
    {
        var path = images.Create("declared.raw", "16M", "-f", "raw");

        Names(QemuImages.Inspect(path, "qcow2")).ShouldBe([ViolationNames.FormatMismatch]);
    }

    [Fact]
    public void An_iso_declared_raw_is_a_mismatch_as_in_nova()
    {
        Names(ImageInspector.Inspect(new MemoryStream(Crafted.Iso()), new InspectOptions { DeclaredFormat = "raw" }))
            .ShouldBe([ViolationNames.FormatMismatch]);
    }

    [Theory]
    [InlineData("ploop")]
    [InlineData("qcow3")]
    [InlineData("")]
    public void An_unknown_declared_format_is_refused(string declared)
    {
        var path = images.Create("declared.raw", "16M", "-f", "raw");

        Names(QemuImages.Inspect(path, declared)).ShouldBe([ViolationNames.FormatUnknownDeclared]);
    }

    [Theory]
    [InlineData("dynamic-declared.vhd", "vpc")]
    [InlineData("dynamic-declared.vhd", "VHD")]
    public void Qemu_s_and_glance_s_names_and_any_case_are_accepted(string name, string declared)
    {
        var path = images.Create(name, "16M", "-f", "vpc");

        QemuImages.Inspect(path, declared).Safe.ShouldBeTrue();
    }

    [Theory]
    [InlineData("ami")]
    [InlineData("aki")]
    [InlineData("ari")]
    public void Amazon_formats_are_raw_content(string declared)
    {
        var path = images.Create("declared.raw", "16M", "-f", "raw");

        QemuImages.Inspect(path, declared).Safe.ShouldBeTrue();
    }
}

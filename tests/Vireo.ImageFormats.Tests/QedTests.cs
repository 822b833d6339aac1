using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>QED, which Nova bans outright, is accepted when self-contained and refused with a backing file.</summary>
public sealed class QedTests(QemuImages images)
{
    [Fact]
    public void A_qed_image_with_a_backing_file_is_refused_naming_it()
    {
        var basePath = images.Create("qed-base.qcow2", "16M", "-f", "qcow2");
        var path = images.Create("with-backing.qed", "", "-f", "qed", "-b", basePath, "-F", "qcow2");

        var result = QemuImages.Inspect(path, "qed");

        result.Violations.Select(v => v.Name).ShouldBe([ViolationNames.QedBackingFile]);
        result.Violations[0].Message.ShouldContain(basePath);
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, "qed"));
    }

    [Fact]
    public void An_unknown_qed_feature_bit_is_refused()
    {
        var path = images.Copy(images.Create("feature.qed", "16M", "-f", "qed"), "unknown-feature.qed");
        QemuImages.Patch(path, 16, [0x08]);

        QemuImages.Inspect(path, "qed").Violations.Select(v => v.Name).ShouldBe([ViolationNames.QedUnknownFeatures]);
    }

    [Fact]
    public void A_truncated_qed_header_is_refused_as_truncated()
    {
        var header = File.ReadAllBytes(images.Create("feature.qed", "16M", "-f", "qed"))[..40];

        var result = ImageInspector.Inspect(new MemoryStream(header));

        result.DetectedFormat.ShouldBe(DiskFormat.Qed);
        result.Violations.Select(v => v.Name).ShouldBe([ViolationNames.FormatTruncated]);
    }
}

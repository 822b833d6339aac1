using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>qcow2 images that would make QEMU open other host files, or that a QEMU may misread, are refused by name.</summary>
public sealed class Qcow2SafetyTests(QemuImages images)
{
    private static string[] Names(InspectionResult result) => [.. result.Violations.Select(v => v.Name)];

    [Fact]
    public void A_backing_file_is_refused_naming_the_file_and_its_format()
    {
        var basePath = images.Create("backing-base.qcow2", "16M", "-f", "qcow2");
        var path = images.Create("with-backing.qcow2", "", "-f", "qcow2", "-b", basePath, "-F", "qcow2");

        var result = QemuImages.Inspect(path, "qcow2");

        Names(result).ShouldBe([ViolationNames.Qcow2BackingFile]);
        result.Violations[0].Message.ShouldContain(basePath);
        result.Violations[0].Message.ShouldContain("'qcow2'");
        result.Safe.ShouldBeFalse();
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, "qcow2"));
    }

    [Fact]
    public void A_backing_file_pointing_at_a_host_file_is_refused()
    {
        var path = images.Create("backing-passwd.qcow2", "16M", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", "-u");

        var result = QemuImages.Inspect(path);

        Names(result).ShouldBe([ViolationNames.Qcow2BackingFile]);
        result.Violations[0].Message.ShouldContain("'/etc/passwd'");
    }

    [Fact]
    public void An_external_data_file_is_refused_naming_the_file()
    {
        var path = images.Create("data-file.qcow2", "16M", "-f", "qcow2", "-o", $"data_file={Path.Combine(images.Folder, "data-file.raw")}");

        var result = QemuImages.Inspect(path, "qcow2");

        Names(result).ShouldBe([ViolationNames.Qcow2DataFile]);
        result.Violations[0].Message.ShouldContain("data-file.raw");
    }

    [Fact]
    public void A_raw_external_data_file_is_refused_for_the_data_file_and_for_being_raw()
    {
        var path = images.Create("data-file-raw.qcow2", "16M", "-f", "qcow2", "-o", $"data_file={Path.Combine(images.Folder, "data-file-raw.raw")},data_file_raw=on");

        var result = QemuImages.Inspect(path, "qcow2");

        Names(result).ShouldBe([ViolationNames.Qcow2DataFile, ViolationNames.Qcow2DataFileRaw]);
    }

    [Theory]
    [InlineData(5, 79, 0x20)]
    [InlineData(63, 72, 0x80)]
    [InlineData(17, 77, 0x02)]
    public void An_unknown_incompatible_feature_bit_is_refused_naming_the_bit(int bit, int byteOffset, byte mask)
    {
        var path = images.Copy(images.Create("feature-source.qcow2", "16M", "-f", "qcow2"), $"feature-bit-{bit}.qcow2");
        QemuImages.Patch(path, byteOffset, [mask]);

        var result = QemuImages.Inspect(path, "qcow2");

        Names(result).ShouldBe([ViolationNames.Qcow2UnknownIncompatibleFeatures]);
        result.Violations[0].Message.ShouldContain($"bit(s) {bit} ");
    }

    [Fact]
    public void The_dirty_and_corrupt_bits_are_known_and_accepted()
    {
        var path = images.Copy(images.Create("feature-source.qcow2", "16M", "-f", "qcow2"), "dirty-corrupt.qcow2");
        QemuImages.Patch(path, 79, [0b11]);

        QemuImages.Inspect(path, "qcow2").Safe.ShouldBeTrue();
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(0xffffffffu)]
    public void A_version_other_than_2_or_3_is_refused(uint version)
    {
        var path = images.Copy(images.Create("feature-source.qcow2", "16M", "-f", "qcow2"), $"version-{version}.qcow2");
        QemuImages.Patch(path, 4, [(byte)(version >> 24), (byte)(version >> 16), (byte)(version >> 8), (byte)version]);

        var result = QemuImages.Inspect(path, "qcow2");

        Names(result).ShouldBe([ViolationNames.Qcow2UnsupportedVersion]);
        result.DetectedFormat.ShouldBe(DiskFormat.Qcow2);
    }

    [Fact]
    public void A_qcow_version_1_image_with_a_backing_file_is_refused_for_both()
    {
        var path = images.Create("v1-backing.qcow", "16M", "-f", "qcow", "-b", "/etc/passwd", "-F", "raw", "-u");

        var result = QemuImages.Inspect(path);

        result.DetectedFormat.ShouldBe(DiskFormat.Qcow2);
        Names(result).ShouldBe([ViolationNames.Qcow2UnsupportedVersion, ViolationNames.Qcow2BackingFile]);
        result.Violations[1].Message.ShouldContain("'/etc/passwd'");
    }

    [Fact]
    public void Every_violation_is_reported_not_only_the_first()
    {
        var basePath = images.Create("all-base.qcow2", "16M", "-f", "qcow2");
        var path = images.Copy(
            images.Create("all-source.qcow2", "", "-f", "qcow2", "-b", basePath, "-F", "qcow2", "-o", $"data_file={Path.Combine(images.Folder, "all.raw")}"),
            "all-violations.qcow2");
        QemuImages.Patch(path, 78, [0x01]);

        var result = QemuImages.Inspect(path, "raw");

        Names(result).ShouldBe(
            [ViolationNames.Qcow2BackingFile, ViolationNames.Qcow2DataFile, ViolationNames.Qcow2UnknownIncompatibleFeatures, ViolationNames.FormatMismatch],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(50)]
    [InlineData(71)]
    [InlineData(90)]
    public void A_truncated_header_is_refused_as_truncated(int length)
    {
        var header = File.ReadAllBytes(images.Create("feature-source.qcow2", "16M", "-f", "qcow2"))[..length];

        var result = ImageInspector.Inspect(new MemoryStream(header));

        result.DetectedFormat.ShouldBe(DiskFormat.Qcow2);
        Names(result).ShouldContain(ViolationNames.FormatTruncated);
    }

    [Fact]
    public void Qemu_img_refuses_what_the_inspector_calls_an_unknown_feature()
    {
        var path = images.Copy(images.Create("feature-source.qcow2", "16M", "-f", "qcow2"), "qemu-refuses.qcow2");
        QemuImages.Patch(path, 79, [0x20]);

        Should.Throw<InvalidOperationException>(() => QemuImages.QemuInfo(path, "qcow2")).Message.ShouldContain("Unsupported");
    }
}

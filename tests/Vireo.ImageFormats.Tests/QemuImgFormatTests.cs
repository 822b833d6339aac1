using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>Safe images made by the real qemu-img: each is detected as its format, accepted, and sized as qemu-img sizes it.</summary>
public sealed class QemuImgFormatTests(QemuImages images)
{
    public static TheoryData<string, string, string, string[], DiskFormat, string?> SafeImages => new()
    {
        { "raw.raw", "16M", "raw", ["-f", "raw"], DiskFormat.Raw, null },
        { "odd.raw", "1000", "raw", ["-f", "raw"], DiskFormat.Raw, null },
        { "v3.qcow2", "16M", "qcow2", ["-f", "qcow2"], DiskFormat.Qcow2, "v3" },
        { "big.qcow2", "1T", "qcow2", ["-f", "qcow2"], DiskFormat.Qcow2, "v3" },
        { "v2.qcow2", "16M", "qcow2", ["-f", "qcow2", "-o", "compat=0.10"], DiskFormat.Qcow2, "v2" },
        { "extl2.qcow2", "16M", "qcow2", ["-f", "qcow2", "-o", "extended_l2=on"], DiskFormat.Qcow2, "v3" },
        { "zstd.qcow2", "16M", "qcow2", ["-f", "qcow2", "-o", "compression_type=zstd"], DiskFormat.Qcow2, "v3" },
        { "extl2zstd.qcow2", "33M", "qcow2", ["-f", "qcow2", "-o", "extended_l2=on,compression_type=zstd,cluster_size=128k"], DiskFormat.Qcow2, "v3" },
        { "lazy.qcow2", "16M", "qcow2", ["-f", "qcow2", "-o", "lazy_refcounts=on"], DiskFormat.Qcow2, "v3" },
        { "plain.qed", "16M", "qed", ["-f", "qed"], DiskFormat.Qed, null },
        { "sparse.vmdk", "16M", "vmdk", ["-f", "vmdk", "-o", "subformat=monolithicSparse"], DiskFormat.Vmdk, "monolithicSparse" },
        { "stream.vmdk", "16M", "vmdk", ["-f", "vmdk", "-o", "subformat=streamOptimized"], DiskFormat.Vmdk, "streamOptimized" },
        { "big.vmdk", "100G", "vmdk", ["-f", "vmdk"], DiskFormat.Vmdk, "monolithicSparse" },
        { "dynamic.vhd", "16M", "vpc", ["-f", "vpc"], DiskFormat.Vhd, "dynamic" },
        { "odd-dynamic.vhd", "33M", "vpc", ["-f", "vpc"], DiskFormat.Vhd, "dynamic" },
        { "exact.vhd", "33M", "vpc", ["-f", "vpc", "-o", "force_size=on"], DiskFormat.Vhd, "dynamic" },
        { "fixed.vhd", "16M", "vpc", ["-f", "vpc", "-o", "subformat=fixed"], DiskFormat.Vhd, "fixed" },
        { "plain.vhdx", "16M", "vhdx", ["-f", "vhdx"], DiskFormat.Vhdx, null },
        { "big.vhdx", "3G", "vhdx", ["-f", "vhdx"], DiskFormat.Vhdx, null },
        { "dynamic.vdi", "16M", "vdi", ["-f", "vdi"], DiskFormat.Vdi, null },
        { "static.vdi", "8M", "vdi", ["-f", "vdi", "-o", "static=on"], DiskFormat.Vdi, null },
        { "plain.luks", "16M", "luks", ["--object", "secret,id=sec0,data=x", "-f", "luks", "-o", "key-secret=sec0,iter-time=10"], DiskFormat.Luks, "luks1" },
    };

    [Theory]
    [MemberData(nameof(SafeImages))]
    public void A_qemu_img_image_is_detected_accepted_and_sized_as_qemu_img_sizes_it(
        string name, string size, string qemuFormat, string[] options, DiskFormat expected, string? subformat)
    {
        var path = images.Create(name, size, options);

        var result = QemuImages.Inspect(path, expected.Name());

        result.DetectedFormat.ShouldBe(expected);
        result.Violations.ShouldBeEmpty();
        result.Safe.ShouldBeTrue();
        result.Subformat.ShouldBe(subformat);
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, qemuFormat));
        result.QemuDriver.ShouldBe(qemuFormat);
    }

    [Fact]
    public void A_stream_optimized_vmdk_converted_with_data_is_accepted_with_qemu_img_s_size()
    {
        var data = images.Create("data-for-stream.raw", "8M", "-f", "raw");
        QemuImages.Patch(data, 4096, Enumerable.Repeat((byte)0x5a, 65536).ToArray());
        var path = Path.Combine(images.Folder, "converted-stream.vmdk");
        QemuImages.Run("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized", data, path);

        var result = QemuImages.Inspect(path, "vmdk");

        result.Safe.ShouldBeTrue();
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, "vmdk"));
    }

    [Fact]
    public void A_fixed_vhd_is_found_by_its_footer_at_the_end_which_qemu_s_probe_misses()
    {
        var path = images.Create("probe-fixed.vhd", "16M", "-f", "vpc", "-o", "subformat=fixed");

        var result = QemuImages.Inspect(path);

        result.DetectedFormat.ShouldBe(DiskFormat.Vhd);
        QemuImages.QemuInfo(path, "raw").GetProperty("format").GetString().ShouldBe("raw");
    }

    [Fact]
    public void Reading_any_qemu_img_image_stays_within_the_stated_bound()
    {
        foreach (var row in SafeImages)
        {
            var (name, size, _, options, _, _) = row.Data;
            using var file = File.OpenRead(images.Create(name, size, options));
            ImageInspector.Inspect(file).BytesRead.ShouldBeLessThanOrEqualTo(ImageInspector.MaxBytesRead);
        }
    }
}

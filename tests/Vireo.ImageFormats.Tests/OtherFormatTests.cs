using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>VHD, VHDX, VDI and LUKS variants that QEMU cannot open alone, or that depend on a parent disk, are refused by name.</summary>
public sealed class OtherFormatTests(QemuImages images)
{
    private static string[] Names(InspectionResult result) => [.. result.Violations.Select(v => v.Name)];

    [Fact]
    public void A_differencing_vhd_is_refused_for_its_parent_disk()
    {
        var path = images.Copy(images.Create("source.vhd", "16M", "-f", "vpc"), "differencing.vhd");
        QemuImages.Patch(path, 60, [0, 0, 0, 4]);

        Names(QemuImages.Inspect(path, "vhd")).ShouldBe([ViolationNames.VhdParentDisk]);
    }

    [Fact]
    public void A_fixed_vhd_declared_raw_is_a_mismatch_because_its_last_sector_is_a_footer()
    {
        var path = images.Create("declared-raw-fixed.vhd", "16M", "-f", "vpc", "-o", "subformat=fixed");

        Names(QemuImages.Inspect(path, "raw")).ShouldBe([ViolationNames.FormatMismatch]);
    }

    [Fact]
    public void A_fixed_vhd_of_a_partitioned_disk_is_a_vhd()
    {
        var path = images.Copy(images.Create("partitioned-fixed.vhd", "16M", "-f", "vpc", "-o", "subformat=fixed"), "partitioned-fixed-mbr.vhd");
        var mbr = Crafted.Mbr(512, new Crafted.Partition(0x80, 0x83, 2048, 30000));
        QemuImages.Patch(path, 0, mbr);

        var result = QemuImages.Inspect(path, "vhd");

        result.DetectedFormat.ShouldBe(DiskFormat.Vhd);
        result.Safe.ShouldBeTrue();
    }

    [Fact]
    public void A_vhd_geometry_beyond_an_int_gives_a_positive_size()
    {
        // Found by afl++: 54484 × 212 × 212 sectors overflowed an int into a negative size.
        var footer = File.ReadAllBytes(images.Create("source.vhd", "16M", "-f", "vpc"))[..512];
        footer[56] = 0xd4;
        footer[57] = 0xd4;
        footer[58] = 212;
        footer[59] = 212;

        ImageInspector.Inspect(new MemoryStream(footer)).VirtualSizeBytes.ShouldBe(54484L * 212 * 212 * 512);
    }

    [Fact]
    public void A_vhdx_cut_before_its_region_table_is_refused_as_truncated()
    {
        var head = File.ReadAllBytes(images.Create("source.vhdx", "16M", "-f", "vhdx"))[..(128 * 1024)];

        var result = ImageInspector.Inspect(new MemoryStream(head));

        result.DetectedFormat.ShouldBe(DiskFormat.Vhdx);
        Names(result).ShouldBe([ViolationNames.FormatTruncated]);
    }

    [Fact]
    public void A_vhdx_whose_region_table_is_garbage_is_refused_as_an_invalid_header()
    {
        var path = images.Copy(images.Create("source.vhdx", "16M", "-f", "vhdx"), "garbage-regions.vhdx");
        QemuImages.Patch(path, 192 * 1024, "nope"u8);

        Names(QemuImages.Inspect(path, "vhdx")).ShouldBe([ViolationNames.FormatInvalidHeader]);
    }

    [Fact]
    public void A_vdi_of_another_version_or_a_differencing_vdi_is_refused()
    {
        var path = images.Copy(images.Create("source.vdi", "16M", "-f", "vdi"), "odd.vdi");
        QemuImages.Patch(path, 0x44, [0x00, 0x00, 0x02, 0x00]);
        QemuImages.Patch(path, 0x4c, [4]);

        Names(QemuImages.Inspect(path, "vdi")).ShouldBe([ViolationNames.VdiUnsupportedVersion, ViolationNames.VdiParentDisk]);
    }

    [Fact]
    public void A_vdi_header_cut_short_is_refused_as_truncated()
    {
        var head = File.ReadAllBytes(images.Create("source.vdi", "16M", "-f", "vdi"))[..0x100];

        Names(ImageInspector.Inspect(new MemoryStream(head))).ShouldBe([ViolationNames.FormatTruncated]);
    }

    [Fact]
    public void A_luks2_header_is_refused_because_qemu_opens_luks1_only()
    {
        var path = images.Copy(images.Create("source.luks", "16M", "--object", "secret,id=sec0,data=x", "-f", "luks", "-o", "key-secret=sec0,iter-time=10"), "v2.luks");
        QemuImages.Patch(path, 6, [0, 2]);

        Names(QemuImages.Inspect(path, "luks")).ShouldBe([ViolationNames.LuksUnsupportedVersion]);
    }

    [Fact]
    public void A_luks_image_declared_raw_is_a_mismatch()
    {
        var path = images.Create("source.luks", "16M", "--object", "secret,id=sec0,data=x", "-f", "luks", "-o", "key-secret=sec0,iter-time=10");

        Names(QemuImages.Inspect(path, "raw")).ShouldBe([ViolationNames.FormatMismatch]);
    }
}

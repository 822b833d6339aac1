using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>ISO images, MBR and GPT disks, and raw files with magic in the wrong place, crafted byte by byte.</summary>
public sealed class IsoAndPartitionTableTests(QemuImages images)
{
    private const int Disk = 1024 * 1024;

    private static InspectionResult Inspect(byte[] bytes, string? declared = null) =>
        ImageInspector.Inspect(new MemoryStream(bytes), new InspectOptions { DeclaredFormat = declared });

    private static string[] Names(InspectionResult result) => [.. result.Violations.Select(v => v.Name)];

    [Fact]
    public void An_iso_is_detected_with_its_length_as_size_and_accepted()
    {
        var iso = Crafted.Iso(blocks: 50);

        var result = Inspect(iso, "iso");

        result.DetectedFormat.ShouldBe(DiskFormat.Iso);
        result.VirtualSizeBytes.ShouldBe(50 * 2048);
        result.Safe.ShouldBeTrue();
        result.QemuDriver.ShouldBe("raw");
    }

    [Fact]
    public void A_pipe_of_an_iso_gives_the_size_from_the_primary_volume_descriptor_when_longer_than_the_bound()
    {
        var iso = Crafted.Iso(blocks: 20);
        var stream = new CountingStream(5L * 1024 * 1024 * 1024, i => i < iso.Length ? iso[i] : (byte)0, seekable: false);

        var result = ImageInspector.Inspect(stream);

        result.DetectedFormat.ShouldBe(DiskFormat.Iso);
        result.VirtualSizeBytes.ShouldBe(20 * 2048);
        stream.BytesRead.ShouldBeLessThanOrEqualTo(ImageInspector.MaxBytesRead);
    }

    [Fact]
    public void A_hybrid_iso_with_an_mbr_or_a_gpt_is_an_iso()
    {
        var withMbr = Crafted.Iso(blocks: 40);
        Crafted.WriteMbr(withMbr, new Crafted.Partition(0x80, 0x17, 0, 80));
        var withGpt = Crafted.Iso(blocks: 40, systemArea: Crafted.Gpt(1024));

        foreach (var iso in new[] { withMbr, withGpt })
        {
            var result = Inspect(iso, "iso");
            result.DetectedFormat.ShouldBe(DiskFormat.Iso);
            result.Matches.ShouldBe([DiskFormat.Iso, DiskFormat.Gpt]);
            result.Safe.ShouldBeTrue();
        }
    }

    [Fact]
    public void A_qcow2_header_planted_in_an_iso_system_area_is_ambiguous_and_refused()
    {
        var qcow2Header = File.ReadAllBytes(images.Create("planted.qcow2", "16M", "-f", "qcow2"))[..512];
        var iso = Crafted.Iso(blocks: 40, systemArea: qcow2Header);

        var result = Inspect(iso, "iso");

        result.DetectedFormat.ShouldBe(DiskFormat.Qcow2);
        Names(result).ShouldBe([ViolationNames.FormatAmbiguous, ViolationNames.FormatMismatch]);
        result.Violations[0].Message.ShouldContain("qcow2");
        result.Violations[0].Message.ShouldContain("iso");
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(700_000)]
    public void A_raw_file_with_image_magic_further_inside_is_raw(int offset)
    {
        var qcow2Header = File.ReadAllBytes(images.Create("planted.qcow2", "16M", "-f", "qcow2"))[..512];
        var raw = new byte[Disk];
        qcow2Header.CopyTo(raw, offset);
        "KDMV"u8.CopyTo(raw.AsSpan(offset + 1024));
        "conectix"u8.CopyTo(raw.AsSpan(offset + 2048));

        var result = Inspect(raw, "raw");

        result.DetectedFormat.ShouldBe(DiskFormat.Raw);
        result.VirtualSizeBytes.ShouldBe(Disk);
        result.Safe.ShouldBeTrue();
    }

    [Fact]
    public void An_mbr_disk_is_gpt_by_nova_s_name_and_accepted()
    {
        var disk = Crafted.Mbr(Disk, new Crafted.Partition(0x80, 0x83, 2048, 2048), new Crafted.Partition(0, 0x82, 4096, 100));

        var result = Inspect(disk);

        result.DetectedFormat.ShouldBe(DiskFormat.Gpt);
        result.Subformat.ShouldBe("mbr");
        result.Safe.ShouldBeTrue();
        result.VirtualSizeBytes.ShouldBe(Disk);
    }

    [Fact]
    public void A_gpt_disk_declared_raw_is_raw_and_accepted()
    {
        var result = Inspect(Crafted.Gpt(Disk), "raw");

        result.DetectedFormat.ShouldBe(DiskFormat.Raw);
        result.Subformat.ShouldBe("gpt");
        result.Safe.ShouldBeTrue();
    }

    [Fact]
    public void A_gpt_disk_declared_gpt_is_gpt()
    {
        Inspect(Crafted.Gpt(Disk), "gpt").DetectedFormat.ShouldBe(DiskFormat.Gpt);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x7f)]
    [InlineData(0xff)]
    public void A_boot_flag_other_than_0x00_or_0x80_is_refused(byte flag)
    {
        var disk = Crafted.Mbr(Disk, new Crafted.Partition(flag, 0x83, 2048, 2048));

        Names(Inspect(disk, "raw")).ShouldBe([ViolationNames.MbrBootFlag]);
    }

    [Fact]
    public void An_mbr_with_no_partition_is_refused()
    {
        Names(Inspect(Crafted.Mbr(Disk), "raw")).ShouldBe([ViolationNames.MbrNoPartitions]);
    }

    [Fact]
    public void A_protective_entry_not_alone_is_refused()
    {
        var disk = Crafted.Mbr(Disk, new Crafted.Partition(0, 0xEE, 1, 2000), new Crafted.Partition(0, 0x83, 2048, 100));

        Names(Inspect(disk, "raw")).ShouldBe([ViolationNames.GptProtectiveEntry]);
    }

    [Fact]
    public void A_protective_entry_not_at_lba_1_is_refused()
    {
        var disk = Crafted.Mbr(Disk, new Crafted.Partition(0, 0xEE, 2, 2000));

        Names(Inspect(disk, "raw")).ShouldBe([ViolationNames.GptProtectiveEntry]);
    }

    [Fact]
    public void Every_partition_table_violation_is_reported()
    {
        var disk = Crafted.Mbr(Disk,
            new Crafted.Partition(0x01, 0xEE, 5, 2000), new Crafted.Partition(0x02, 0x83, 2048, 100), new Crafted.Partition(0, 0xEE, 1, 1));

        Names(Inspect(disk, "raw")).ShouldBe(
            [ViolationNames.MbrBootFlag, ViolationNames.GptProtectiveEntry, ViolationNames.MbrBootFlag, ViolationNames.GptProtectiveEntry]);
    }

    [Fact]
    public void A_fat_boot_sector_is_a_filesystem_not_a_partition_table()
    {
        var fat = Crafted.Mbr(Disk);
        fat[0x10] = 2;
        fat[0x15] = 0xF8;

        var result = Inspect(fat, "raw");

        result.DetectedFormat.ShouldBe(DiskFormat.Raw);
        result.Safe.ShouldBeTrue();
    }
}

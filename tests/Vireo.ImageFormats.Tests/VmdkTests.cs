using System.Buffers.Binary;
using System.Text;
using Vireo.Core;
using Vireo.ImageFormats.Tests.Support;

namespace Vireo.ImageFormats.Tests;

/// <summary>
/// VMDK: the two self-contained subformats are accepted; descriptors that name host files
/// (CVE-2022-47951), other subformats and lines outside the grammar are refused by name.
/// </summary>
public sealed class VmdkTests(QemuImages images)
{
    private const string Header = "# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\n";
    private const string Database = "\n# The Disk Data Base\n#DDB\n\nddb.virtualHWVersion = \"4\"\nddb.adapterType = \"ide\"\n";

    private static string[] Names(InspectionResult result) => [.. result.Violations.Select(v => v.Name)];

    private string Sparse() => images.Create("source-sparse.vmdk", "16M", "-f", "vmdk", "-o", "subformat=monolithicSparse");

    /// <summary>A monolithicSparse copy whose embedded descriptor (sector 1, 20 sectors) is replaced.</summary>
    private string WithEmbeddedDescriptor(string name, string descriptor, ulong? capacity = null)
    {
        var path = images.Copy(Sparse(), name);
        var bytes = new byte[20 * 512];
        Encoding.ASCII.GetBytes(descriptor).CopyTo(bytes, 0);
        QemuImages.Patch(path, 512, bytes);
        if (capacity is { } sectors)
        {
            var field = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(field, sectors);
            QemuImages.Patch(path, 12, field);
        }

        return path;
    }

    [Fact]
    public void A_descriptor_only_vmdk_is_detected_as_vmdk_not_raw_and_refused()
    {
        var path = images.Create("flat.vmdk", "16M", "-f", "vmdk", "-o", "subformat=monolithicFlat");

        var result = QemuImages.Inspect(path, "vmdk");

        result.DetectedFormat.ShouldBe(DiskFormat.Vmdk);
        result.Subformat.ShouldBe("monolithicFlat");
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, "vmdk"));
        Names(result).ShouldBe([ViolationNames.VmdkCreateTypeNotAllowed, ViolationNames.VmdkExtentFile]);
        result.Violations[1].Message.ShouldContain("'flat-flat.vmdk'");
    }

    [Fact]
    public void A_descriptor_only_vmdk_still_names_another_file_when_its_create_type_is_allowed()
    {
        var path = images.Create("flat-allowed.vmdk", "16M", "-f", "vmdk", "-o", "subformat=monolithicFlat");

        var result = QemuImages.Inspect(path, "vmdk", ["monolithicSparse", "streamOptimized", "monolithicFlat"]);

        Names(result).ShouldBe([ViolationNames.VmdkExtentFile]);
    }

    [Fact]
    public void A_split_vmdk_is_refused_for_its_subformat_and_each_extent_file()
    {
        var path = images.Create("split.vmdk", "3G", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse");

        var result = QemuImages.Inspect(path, "vmdk");

        result.Subformat.ShouldBe("twoGbMaxExtentSparse");
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, "vmdk"));
        Names(result).ShouldBe([ViolationNames.VmdkCreateTypeNotAllowed, ViolationNames.VmdkExtentFile, ViolationNames.VmdkExtentFile]);
    }

    [Fact]
    public void A_text_descriptor_with_an_extent_on_etc_passwd_is_refused_naming_it()
    {
        var path = images.Write("passwd-text.vmdk", Encoding.ASCII.GetBytes(
            Header + "createType=\"monolithicFlat\"\n\n# Extent description\nRW 2048 FLAT \"/etc/passwd\" 0\n" + Database));

        // QEMU itself would open /etc/passwd as the guest's disk.
        QemuImages.QemuInfo(path, "vmdk").GetRawText().ShouldContain("/etc/passwd");
        var result = QemuImages.Inspect(path, "vmdk", ["monolithicSparse", "streamOptimized", "monolithicFlat"]);

        Names(result).ShouldBe([ViolationNames.VmdkExtentFile]);
        result.Violations[0].Message.ShouldContain("'/etc/passwd'");
        result.VirtualSizeBytes.ShouldBe(2048 * 512);
    }

    [Fact]
    public void A_text_descriptor_posing_as_monolithic_sparse_with_a_relative_extent_is_refused()
    {
        var path = images.Write("relative-text.vmdk", Encoding.ASCII.GetBytes(
            Header + "createType=\"monolithicSparse\"\nRW 2048 SPARSE \"other.vmdk\"\n" + Database));

        Names(QemuImages.Inspect(path, "vmdk")).ShouldBe([ViolationNames.VmdkExtentFile]);
    }

    [Fact]
    public void An_embedded_descriptor_with_an_extent_on_etc_passwd_is_refused()
    {
        var path = WithEmbeddedDescriptor("passwd-embedded.vmdk",
            Header + "createType=\"monolithicSparse\"\nRW 32768 FLAT \"/etc/passwd\" 0\n" + Database);

        var result = QemuImages.Inspect(path, "vmdk");

        Names(result).ShouldBe([ViolationNames.VmdkExtentFile]);
        result.Violations[0].Message.ShouldContain("'/etc/passwd'");
    }

    [Fact]
    public void An_embedded_descriptor_read_as_a_descriptor_file_because_capacity_is_zero_is_refused()
    {
        // CVE-2022-47951: with capacity 0, QEMU opens the embedded descriptor's extents.
        var path = WithEmbeddedDescriptor("cve-2022-47951.vmdk",
            Header + "createType=\"monolithicFlat\"\nRW 2048 FLAT \"/etc/passwd\" 0\n" + Database, capacity: 0);

        QemuImages.QemuInfo(path, "vmdk").GetRawText().ShouldContain("/etc/passwd");
        var result = QemuImages.Inspect(path, "vmdk");

        Names(result).ShouldBe([ViolationNames.VmdkCreateTypeNotAllowed, ViolationNames.VmdkExtentFile]);
        result.VirtualSizeBytes.ShouldBe(QemuImages.QemuVirtualSize(path, "vmdk"));
    }

    [Fact]
    public void A_create_type_hidden_in_a_comment_where_qemu_would_find_it_first_is_refused()
    {
        var path = WithEmbeddedDescriptor("comment-create-type.vmdk",
            "# Disk DescriptorFile createType=\"monolithicFlat\"\nversion=1\ncreateType=\"monolithicSparse\"\nRW 32768 SPARSE \"x.vmdk\"\n");

        var result = QemuImages.Inspect(path, "vmdk");

        Names(result).ShouldBe([ViolationNames.VmdkCreateTypeNotAllowed]);
        result.Violations[0].Message.ShouldContain("'monolithicFlat'");
    }

    [Fact]
    public void A_descriptor_line_outside_the_grammar_is_refused_with_its_line_number()
    {
        var path = WithEmbeddedDescriptor("syntax.vmdk",
            Header + "createType=\"monolithicSparse\"\nRW 32768 SPARSE \"x.vmdk\"\nthis is not a descriptor line\n");

        var result = QemuImages.Inspect(path, "vmdk");

        Names(result).ShouldBe([ViolationNames.VmdkDescriptorSyntax]);
        result.Violations[0].Message.ShouldContain("line 7");
    }

    [Fact]
    public void A_parent_file_name_hint_is_refused_as_a_backing_file()
    {
        var path = WithEmbeddedDescriptor("parent.vmdk",
            "# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=2\ncreateType=\"monolithicSparse\"\nparentFileNameHint=\"/var/lib/base.vmdk\"\nRW 32768 SPARSE \"x.vmdk\"\n");

        var result = QemuImages.Inspect(path, "vmdk");

        Names(result).ShouldBe([ViolationNames.VmdkParentFile]);
        result.Violations[0].Message.ShouldContain("/var/lib/base.vmdk");
    }

    [Fact]
    public void The_allowed_types_come_from_the_options_and_an_empty_list_refuses_every_vmdk()
    {
        var path = images.Create("policy-stream.vmdk", "16M", "-f", "vmdk", "-o", "subformat=streamOptimized");

        Names(QemuImages.Inspect(path, "vmdk", [])).ShouldBe([ViolationNames.VmdkCreateTypeNotAllowed]);
        QemuImages.Inspect(path, "vmdk", ["STREAMOPTIMIZED"]).Safe.ShouldBeTrue();
    }

    [Fact]
    public void A_sparse_header_without_an_embedded_descriptor_is_refused()
    {
        var path = images.Copy(Sparse(), "no-descriptor.vmdk");
        QemuImages.Patch(path, 28, new byte[8]);

        Names(QemuImages.Inspect(path, "vmdk")).ShouldBe([ViolationNames.VmdkDescriptorMissing]);
    }

    [Fact]
    public void A_descriptor_offset_past_the_end_is_refused_as_truncated()
    {
        var path = images.Copy(Sparse(), "descriptor-past-end.vmdk");
        QemuImages.Patch(path, 28, [0x00, 0x00, 0x00, 0x10, 0, 0, 0, 0]);

        Names(QemuImages.Inspect(path, "vmdk")).ShouldBe([ViolationNames.FormatTruncated]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(63)]
    public void A_truncated_sparse_header_is_refused_as_truncated(int length)
    {
        var header = File.ReadAllBytes(Sparse())[..length];

        var result = ImageInspector.Inspect(new MemoryStream(header));

        if (length >= 4)
        {
            result.DetectedFormat.ShouldBe(DiskFormat.Vmdk);
            Names(result).ShouldBe([ViolationNames.FormatTruncated]);
        }
        else
        {
            result.DetectedFormat.ShouldBe(DiskFormat.Raw);
        }
    }

    [Fact]
    public void A_version_outside_1_to_3_is_refused()
    {
        var path = images.Copy(Sparse(), "version-9.vmdk");
        QemuImages.Patch(path, 4, [9]);

        Names(QemuImages.Inspect(path, "vmdk")).ShouldBe([ViolationNames.VmdkUnsupportedVersion]);
    }

    [Fact]
    public void A_stream_optimized_footer_gives_the_header_and_a_broken_footer_is_refused()
    {
        var source = File.ReadAllBytes(images.Create("footer-source.vmdk", "16M", "-f", "vmdk", "-o", "subformat=streamOptimized"));
        var withFooter = new byte[source.Length + 1536];
        source.CopyTo(withFooter, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(withFooter.AsSpan(56), ulong.MaxValue);
        var footer = withFooter.AsSpan(source.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], 3);
        source.AsSpan(0, 512).CopyTo(footer[512..]);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[(512 + 12)..], 4096);

        var good = ImageInspector.Inspect(new MemoryStream(withFooter));
        good.Safe.ShouldBeTrue();
        good.VirtualSizeBytes.ShouldBe(4096 * 512);

        footer[12] = 7;
        Names(ImageInspector.Inspect(new MemoryStream(withFooter))).ShouldBe([ViolationNames.VmdkInvalidFooter]);
    }

    [Fact]
    public void A_vmware_3_sparse_disk_is_vmdk_and_refused()
    {
        var bytes = new byte[1024];
        "COWD"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 2048);

        var result = ImageInspector.Inspect(new MemoryStream(bytes));

        result.DetectedFormat.ShouldBe(DiskFormat.Vmdk);
        result.VirtualSizeBytes.ShouldBe(2048 * 512);
        Names(result).ShouldBe([ViolationNames.VmdkUnsupportedVersion]);
    }

    [Fact]
    public void A_text_file_that_qemu_would_probe_as_vmdk_is_vmdk()
    {
        var bytes = Encoding.ASCII.GetBytes("# a comment\n   \nversion=1\ncreateType=\"monolithicFlat\"\nRW 8 FLAT \"x\" 0\n");

        ImageInspector.Inspect(new MemoryStream(bytes)).DetectedFormat.ShouldBe(DiskFormat.Vmdk);
    }
}

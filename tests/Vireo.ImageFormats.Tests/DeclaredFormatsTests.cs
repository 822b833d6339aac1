using CsCheck;
using Vireo.Core;

namespace Vireo.ImageFormats.Tests;

/// <summary>
/// The inspector's reading of a declared format, built on Core's table, reads every text as the
/// inspector's own parse did before the table (kept below as an oracle), and names the same formats.
/// </summary>
public sealed class DeclaredFormatsTests
{
    [Fact]
    public void The_probe_order_holds_exactly_the_formats_the_table_calls_detected()
    {
        ImageInspector.ProbeOrder.ShouldBe(
            [DiskFormat.Qcow2, DiskFormat.Qed, DiskFormat.Vmdk, DiskFormat.Vhdx, DiskFormat.Vdi, DiskFormat.Luks, DiskFormat.Vhd, DiskFormat.Iso, DiskFormat.Gpt, DiskFormat.Raw]);
        ImageInspector.ProbeOrder.Order().ShouldBe(DiskFormats.All.Where(f => f.IsDetected()));
    }

    [Fact]
    public void Image_inspect_takes_the_same_names_in_the_same_order_as_before()
    {
        DeclaredFormats.Names.ShouldBe(["qcow2", "qed", "vmdk", "vhdx", "vdi", "luks", "vhd", "iso", "gpt", "raw", "vpc", "ami", "aki", "ari"]);
    }

    [Fact]
    public void The_known_list_of_the_unknown_declared_violation_is_unchanged()
    {
        var result = ImageInspector.Inspect(new MemoryStream(new byte[4096]), new InspectOptions { DeclaredFormat = "ploop" });

        result.Violations.ShouldHaveSingleItem().Message.ShouldBe(
            "the image is declared with disk_format 'ploop', which Vireo cannot check (known: raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso, luks, gpt, ami, aki, ari); register it with the format its content has");
    }

    [Fact]
    public void Every_text_reads_as_the_inspector_read_it_before_the_table()
    {
        var names = Gen.OneOfConst([.. DiskFormats.All.Select(f => f.Name()), "vpc", "VPC", " Raw ", "AMI", "qcow", "parallels", ""]);
        Gen.OneOf(Gen.String, names).Sample(text =>
        {
            var parsed = DeclaredFormats.TryParse(text, out var content);
            var old = Old.TryParse(text, out var oldName);
            parsed.ShouldBe(old, text);
            if (parsed)
            {
                content.Name().ShouldBe(oldName);
            }
        }, iter: 2000);
    }

    [Theory]
    [InlineData("ami", DiskFormat.Raw)]
    [InlineData("ARI", DiskFormat.Raw)]
    [InlineData("vpc", DiskFormat.Vhd)]
    [InlineData(" gpt ", DiskFormat.Gpt)]
    [InlineData("LUKS", DiskFormat.Luks)]
    public void A_declaration_reads_as_the_format_its_content_must_have(string text, DiskFormat expected)
    {
        DeclaredFormats.TryParse(text, out var content).ShouldBeTrue();
        content.ShouldBe(expected);
    }

    [Fact]
    public void A_null_declaration_is_not_a_format()
    {
        DeclaredFormats.TryParse(null, out _).ShouldBeFalse();
    }

    /// <summary>The inspector's DiskFormats.TryParse before the table, over names.</summary>
    private static class Old
    {
        private static readonly string[] All = ["qcow2", "qed", "vmdk", "vhdx", "vdi", "luks", "vhd", "iso", "gpt", "raw"];

        public static bool TryParse(string? name, out string format)
        {
            switch (name?.Trim().ToUpperInvariant())
            {
                case "RAW" or "AMI" or "AKI" or "ARI":
                    format = "raw";
                    return true;
                case "VPC":
                    format = "vhd";
                    return true;
                case { } upper:
                    foreach (var candidate in All)
                    {
                        if (candidate.Equals(upper, StringComparison.OrdinalIgnoreCase))
                        {
                            format = candidate;
                            return true;
                        }
                    }

                    break;
            }

            format = "raw";
            return false;
        }
    }
}

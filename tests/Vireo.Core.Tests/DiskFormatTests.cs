using CsCheck;

namespace Vireo.Core.Tests;

/// <summary>
/// The one disk-format table: every value round-trips through its name, the parse takes exactly
/// the accepted names, and each spelling is what the code before the table produced (the string
/// constants, the inspector's QEMU driver, the guest builder's raw/qcow2 switch), kept below as an oracle.
/// </summary>
public sealed class DiskFormatTests
{
    private const string AcceptedSentence = "use one of raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso (convert other images with qemu-img convert -O qcow2)";

    private static readonly Gen<DiskFormat> AnyFormat = Gen.OneOfConst([.. DiskFormats.All]);

    /// <summary>Names worth trying besides random text: every name, other spellings, QEMU's names.</summary>
    private static readonly Gen<string> Name = Gen.OneOf(
        Gen.String,
        Gen.OneOfConst([.. DiskFormats.All.Select(f => f.Name())]),
        Gen.OneOfConst("vpc", "QCOW2", "Raw", " raw", "raw ", "parallels", "", "qcow", "vhd\0"));

    [Fact]
    public void Every_value_of_the_enum_has_one_row_and_all_lists_them_in_enum_order()
    {
        DiskFormats.All.ShouldBe(Enum.GetValues<DiskFormat>());
        DiskFormats.All.Select(f => f.Name()).Distinct().Count().ShouldBe(DiskFormats.All.Count);
    }

    [Fact]
    public void Every_format_round_trips_through_its_name()
    {
        foreach (var format in DiskFormats.All)
        {
            DiskFormats.TryFromName(format.Name(), out var read).ShouldBeTrue(format.Name());
            read.ShouldBe(format);
            DiskFormats.TryParse(format.Name(), out var parsed).ShouldBe(format.IsAccepted(), format.Name());
            if (format.IsAccepted())
            {
                parsed.ShouldBe(format);
            }
        }
    }

    [Fact]
    public void The_accepted_formats_are_exactly_what_an_image_may_be_registered_with_in_that_order()
    {
        DiskFormats.AcceptedNames.ShouldBe(["raw", "qcow2", "qed", "vmdk", "vhd", "vhdx", "vdi", "iso"]);
        DiskFormats.Accepted.ShouldAllBe(f => f.IsAccepted() && f.IsDetected());
    }

    [Fact]
    public void Declarations_are_told_apart_from_what_the_inspector_detects()
    {
        DiskFormats.All.Where(f => !f.IsDetected()).ShouldBe([DiskFormat.Ami, DiskFormat.Aki, DiskFormat.Ari, DiskFormat.Ploop]);
        DiskFormats.All.Where(f => f.IsDetected() && !f.IsAccepted()).ShouldBe([DiskFormat.Luks, DiskFormat.Gpt]);
    }

    [Theory]
    [InlineData("vpc")]
    [InlineData("QCOW2")]
    [InlineData("qcow2 ")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("ami")]
    [InlineData("aki")]
    [InlineData("ari")]
    [InlineData("ploop")]
    [InlineData("luks")]
    [InlineData("gpt")]
    public void Anything_but_an_accepted_name_is_refused_naming_the_field_the_value_and_the_choices(string? value)
    {
        DiskFormats.TryParse(value, out _).ShouldBeFalse();
        DiskFormats.IsAccepted(value).ShouldBeFalse();
        DiskFormats.Refusal("'disk_format'", value).ShouldBe($"'disk_format' '{value}' is not accepted; {AcceptedSentence}");
    }

    [Fact]
    public void Ploop_is_never_given_to_qemu_or_libvirt()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => DiskFormat.Ploop.QemuName()).Message.ShouldContain("ploop");
        DiskFormat.Ploop.LibvirtDriverType().ShouldBeNull();
    }

    [Fact]
    public void A_value_outside_the_enum_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ((DiskFormat)99).Name());
    }

    [Fact]
    public void Each_name_is_what_the_code_before_the_table_produced()
    {
        AnyFormat.Sample(format =>
        {
            var name = format.Name();
            (Old.IsAccepted(name) ? name : null).ShouldBe(format.IsAccepted() ? name : null);
            if (format != DiskFormat.Ploop)
            {
                // Before the table, ploop was refused before anything asked for its QEMU driver.
                format.QemuName().ShouldBe(Old.QemuDriverFor(name), name);
            }

            format.LibvirtDriverType().ShouldBe(Old.LibvirtDriverType(name), name);
        });
    }

    [Fact]
    public void The_parse_and_its_refusal_match_the_code_before_the_table_for_any_text()
    {
        Name.Sample(text =>
        {
            DiskFormats.TryParse(text, out var format).ShouldBe(Old.IsAccepted(text));
            if (Old.IsAccepted(text))
            {
                format.Name().ShouldBe(text);
            }

            DiskFormats.Refusal("--disk-format", text).ShouldBe(Old.Refusal("--disk-format", text));
        }, iter: 2000);
    }

    /// <summary>The code the table replaced, as it was (Core's ImageDiskFormats, the inspector's DiskFormats, the guest builder's switch).</summary>
    private static class Old
    {
        private static readonly string[] Accepted = ["raw", "qcow2", "qed", "vmdk", "vhd", "vhdx", "vdi", "iso"];

        private static readonly string[] Inspected = ["qcow2", "qed", "vmdk", "vhdx", "vdi", "luks", "vhd", "iso", "gpt", "raw"];

        public static bool IsAccepted(string? format) => format is not null && Accepted.Contains(format, StringComparer.Ordinal);

        public static string Refusal(string field, string? format) =>
            $"{field} '{format}' is not accepted; use one of {string.Join(", ", Accepted)} (convert other images with qemu-img convert -O qcow2)";

        /// <summary>Storage's QemuDriverFor: the inspector's parse, then its QEMU driver; anything else unchanged.</summary>
        public static string QemuDriverFor(string diskFormat)
        {
            var upper = diskFormat.Trim().ToUpperInvariant();
            var parsed = upper is "RAW" or "AMI" or "AKI" or "ARI" ? "raw"
                : upper == "VPC" ? "vhd"
                : Inspected.FirstOrDefault(name => name.Equals(upper, StringComparison.OrdinalIgnoreCase));
            return parsed switch
            {
                null => diskFormat,
                "iso" or "gpt" => "raw",
                "vhd" => "vpc",
                _ => parsed,
            };
        }

        /// <summary>The guest builder's switch into DomainXml's two formats, spelled as DomainXml did; null where it refused.</summary>
        public static string? LibvirtDriverType(string format) => format.ToUpperInvariant() switch
        {
            "RAW" => "raw",
            "QCOW2" => "qcow2",
            _ => null,
        };
    }
}

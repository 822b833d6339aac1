using System.Globalization;
using System.Text;

namespace Vireo.HostCheck.Tests;

public sealed class ProbeBootSectorTests
{
    [Fact]
    public void Boot_sector_is_byte_for_byte_what_gnu_as_assembles_from_its_source()
    {
        var expected = Golden.Read("host-check/probe-boot-sector.hex").Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .SelectMany(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToArray();

        ProbeBootSector.Build("0123456789abcdef").ShouldBe(expected);
    }

    [Fact]
    public void Boot_sector_is_one_mbr_sector_that_ends_with_the_final_marker_and_nonce()
    {
        var sector = ProbeBootSector.Build("fedcba9876543210");

        sector.Length.ShouldBe(512);
        (sector[510], sector[511]).ShouldBe(((byte)0x55, (byte)0xAA));
        Encoding.ASCII.GetString(sector).ShouldContain(ProbeBootSector.MarkerLine("fedcba9876543210") + "\r\n");
        foreach (var (_, line) in ProbeBootSector.Stages)
        {
            Encoding.ASCII.GetString(sector).ShouldContain(line);
        }
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789ABCDEF")]
    [InlineData("0123456789abcde'")]
    public void A_nonce_that_is_not_16_lower_case_alphanumerics_is_refused(string nonce)
    {
        Should.Throw<ArgumentException>(() => ProbeBootSector.Build(nonce));
    }

    [Fact]
    public void Probe_domain_states_raw_format_auto_destroying_serial_file_and_escapes_paths()
    {
        var xml = System.Xml.Linq.XElement.Parse(AccelerationProbe.DomainXml("kvm", "x86_64", "vireo-probe-kvm-1", "/tmp/a&b/boot.img", "/tmp/a&b/serial.log"));

        xml.Attribute("type")!.Value.ShouldBe("kvm");
        xml.Element("devices")!.Element("disk")!.Element("driver")!.Attribute("type")!.Value.ShouldBe("raw");
        xml.Element("devices")!.Element("disk")!.Element("source")!.Attribute("file")!.Value.ShouldBe("/tmp/a&b/boot.img");
        var serial = xml.Element("devices")!.Element("serial")!;
        serial.Attribute("type")!.Value.ShouldBe("file");
        serial.Element("source")!.Attribute("append")!.Value.ShouldBe("on");
        xml.Element("memory")!.Value.ShouldBe("32");
    }
}

namespace Vireo.Core.Tests;

public sealed class ImagePropertyRulesTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("TRUE", true)]
    [InlineData("On", true)]
    [InlineData("y", true)]
    [InlineData("Yes", true)]
    [InlineData("  yes\t", true)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("2", false)]
    [InlineData("yes please", false)]
    [InlineData("", false)]
    public void Booleans_read_like_oslo_bool_from_string(string value, bool expected)
    {
        ImagePropertyRules.IsTrue(new Dictionary<string, string> { ["hw_qemu_guest_agent"] = value }, "hw_qemu_guest_agent").ShouldBe(expected);
    }

    [Fact]
    public void A_missing_property_is_false()
    {
        ImagePropertyRules.IsTrue(new Dictionary<string, string>(), ImagePropertyRules.QemuGuestAgent).ShouldBeFalse();
    }

    [Fact]
    public void Valid_known_properties_and_unknown_keys_raise_nothing()
    {
        var properties = new Dictionary<string, string>
        {
            ["hw_qemu_guest_agent"] = "yes",
            ["os_require_quiesce"] = "False",
            ["hw_disk_bus"] = "sata",
            ["hw_cdrom_bus"] = "ide",
            ["hw_machine_type"] = "pc-i440fx-7.2",
            ["hw_firmware_type"] = "bios",
            ["os_distro"] = "anything at all",
        };

        ImagePropertyRules.Problems(properties).ShouldBeEmpty();
    }

    [Fact]
    public void Every_bad_known_property_is_named_with_its_value_and_the_accepted_values_at_once()
    {
        var properties = new Dictionary<string, string>
        {
            ["hw_qemu_guest_agent"] = "ye",
            ["hw_disk_bus"] = "xen",
            ["hw_cdrom_bus"] = "floppy",
            ["hw_machine_type"] = "Q35 please",
        };

        ImagePropertyRules.Problems(properties).ShouldBe(
        [
            "property hw_qemu_guest_agent='ye' is not valid; use yes or no (also true/false, on/off, 1/0)",
            "property hw_disk_bus='xen' is not valid; use one of virtio, scsi, sata, ide, usb",
            "property hw_cdrom_bus='floppy' is not valid; use one of ide, sata, scsi, usb",
            "property hw_machine_type='Q35 please' is not valid; use a machine type name such as pc, q35 or pc-i440fx-7.2 (`virsh domcapabilities` lists them)",
        ]);
    }
}

using System.Text.RegularExpressions;

namespace Vireo.Core;

/// <summary>
/// The image properties Vireo reads (Nova's <c>ImageMetaProps</c> for a libvirt kvm/qemu host),
/// each with the values Nova accepts for it, as data. Glance stores any property; Nova only
/// finds a bad value when a server boots, if ever (an unknown boolean is silently false). Vireo
/// checks the ones it knows when the image is imported, and keeps every other key as given.
/// </summary>
public static partial class ImagePropertyRules
{
    public const string QemuGuestAgent = "hw_qemu_guest_agent";
    public const string RequireQuiesce = "os_require_quiesce";
    public const string DiskBus = "hw_disk_bus";
    public const string CdromBus = "hw_cdrom_bus";
    public const string MachineType = "hw_machine_type";

    /// <summary>oslo's <c>bool_from_string</c> true strings (any case).</summary>
    public static IReadOnlyList<string> TrueStrings { get; } = ["1", "t", "true", "on", "y", "yes"];

    /// <summary>oslo's false strings (any case).</summary>
    public static IReadOnlyList<string> FalseStrings { get; } = ["0", "f", "false", "off", "n", "no"];

    /// <summary>
    /// Nova's <c>DiskBus</c> values its blockinfo accepts for the disks of a kvm/qemu guest (xen,
    /// lxc and uml belong to other drivers and fail there at boot; fdc, a floppy, holds no disk).
    /// </summary>
    public static IReadOnlyList<string> DiskBuses { get; } = ["virtio", "scsi", "sata", "ide", "usb"];

    /// <summary>The buses a CD-ROM can sit on (QEMU has no virtio CD-ROM).</summary>
    public static IReadOnlyList<string> CdromBuses { get; } = ["ide", "sata", "scsi", "usb"];

    private sealed record Rule(string Key, Func<string, bool> Accepts, string Expected);

    private static readonly Rule[] Rules =
    [
        Boolean(QemuGuestAgent),
        Boolean(RequireQuiesce),
        Boolean("hw_boot_menu"),
        OneOf(DiskBus, DiskBuses),
        OneOf(CdromBus, CdromBuses),
        new(MachineType, value => MachineTypeName().IsMatch(value), "a machine type name such as pc, q35 or pc-i440fx-7.2 (`virsh domcapabilities` lists them)"),
        OneOf("hw_firmware_type", ["bios", "uefi"]),
    ];

    /// <summary>The keys checked here.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } = [.. Rules.Select(r => r.Key)];

    /// <summary>
    /// One sentence per known property whose value Nova would not accept, naming the property, the
    /// value and the accepted values; empty when all are fine. Unknown keys are not judged.
    /// </summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var problems = new List<string>();
        foreach (var rule in Rules)
        {
            if (properties.TryGetValue(rule.Key, out var value) && !rule.Accepts(value))
            {
                problems.Add($"property {rule.Key}='{value}' is not valid; use {rule.Expected}");
            }
        }

        return problems;
    }

    /// <summary>Nova's FlexibleBooleanField read: true for the true strings, surrounding blanks ignored.</summary>
    public static bool IsTrue(IReadOnlyDictionary<string, string> properties, string key)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.TryGetValue(key, out var value) && TrueStrings.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    private static Rule Boolean(string key) => new(
        key,
        value => TrueStrings.Concat(FalseStrings).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase),
        "yes or no (also true/false, on/off, 1/0)");

    private static Rule OneOf(string key, IReadOnlyList<string> values) =>
        new(key, value => values.Contains(value, StringComparer.Ordinal), "one of " + string.Join(", ", values));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex MachineTypeName();
}

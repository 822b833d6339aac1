using Vireo.Core;

namespace Vireo.Virt.Tests;

/// <summary>What the live copy asks libvirt for: the backup document and the root disk it names.</summary>
public sealed class SnapshotCopyXmlTests
{
    private static readonly Guid Id = Guid.Parse("8d5b0f3a-6c1e-4f7a-9b2d-1e3c5a7f9b0d");

    [Theory]
    [InlineData(DiskFormat.Qcow2, "qcow2")]
    [InlineData(DiskFormat.Raw, "raw")]
    public void The_backup_lists_only_the_root_disk_in_push_mode_to_a_new_file_of_the_format(DiskFormat format, string driver) =>
        LibvirtHypervisor.BackupXml("vda", "/var/lib/vireo/instances/x/snapshot-<&'>.part", format).ShouldBe(
            "<domainbackup mode=\"push\"><disks><disk name=\"vda\" backup=\"yes\" type=\"file\">"
            + $"<driver type=\"{driver}\" /><target file=\"/var/lib/vireo/instances/x/snapshot-&lt;&amp;'&gt;.part\" /></disk></disks></domainbackup>");

    [Fact]
    public void The_root_is_the_first_disk_of_the_definition()
    {
        const string xml = """
            <domain type='qemu'><devices>
              <disk type='file' device='disk'><source file='/i/disk'/><target dev='sda' bus='sata'/></disk>
              <disk type='file' device='disk'><source file='/i/disk.local'/><target dev='vdb' bus='virtio'/></disk>
            </devices></domain>
            """;

        LibvirtHypervisor.RootDiskTarget(xml, Id).ShouldBe("sda");
    }

    [Fact]
    public void An_iso_root_is_a_conflict_naming_why()
    {
        const string xml = """
            <domain type='qemu'><devices>
              <disk type='file' device='cdrom'><source file='/i/disk'/><target dev='hda' bus='ide'/></disk>
              <disk type='file' device='disk'><source file='/i/disk.local'/><target dev='vdb'/></disk>
            </devices></domain>
            """;

        var refused = Should.Throw<VireoException>(() => LibvirtHypervisor.RootDiskTarget(xml, Id));

        refused.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Message.ShouldContain("is a cdrom (an ISO image), which is read-only");
    }
}

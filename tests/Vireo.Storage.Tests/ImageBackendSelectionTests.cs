using Vireo.Storage.Disks.Backends;
using Vireo.Storage.HostFacts;

namespace Vireo.Storage.Tests;

/// <summary>Every row of the images_type table, by the facts that select it.</summary>
public sealed class ImageBackendSelectionTests
{
    private static readonly LvmFacts NoDeviceMapper = new("nova-vg", ["nova-vg"], null) { DeviceMapper = false };
    private static readonly LvmFacts GroupMissing = new("nova-vg", ["other-vg"], null) { DeviceMapper = true };
    private static readonly LvmFacts Ready = new("nova-vg", ["nova-vg"], null) { DeviceMapper = true };

    public static TheoryData<string, bool, LvmFacts?, ImageBackendKind?, string> Table => new()
    {
        { "qcow2", false, null, ImageBackendKind.Qcow2, "qcow2" },
        { "flat", true, null, ImageBackendKind.Flat, "flat" },
        { "raw", true, null, ImageBackendKind.Flat, "raw" },
        { "default", true, null, ImageBackendKind.Qcow2, "default, use_cow_images true" },
        { "default", false, null, ImageBackendKind.Flat, "default, use_cow_images false" },
        { "lvm", true, NoDeviceMapper, ImageBackendKind.Lvm, "lvm, no device-mapper" },
        { "lvm", true, GroupMissing, ImageBackendKind.Lvm, "lvm, volume group missing" },
        { "lvm", true, Ready, ImageBackendKind.Lvm, "lvm" },
        { "lvm", true, null, ImageBackendKind.Lvm, "lvm, facts unknown" },
        { "ploop", true, null, null, "anything else" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_row_is_chosen_by_its_facts(string type, bool useCow, LvmFacts? lvm, ImageBackendKind? backend, string row)
    {
        var facts = new ImageBackendFacts(type, useCow, lvm);

        ImageBackendSelection.Rows.First(r => r.When(facts)).Name.ShouldBe(row);
        ImageBackendSelection.Decide(facts).Backend.ShouldBe(backend);
    }

    private static readonly Guid Secret = Guid.Parse("457eb676-33da-42ec-9a8c-9293d545c337");

    public static TheoryData<RbdBackendFacts?, string> RbdTable => new()
    {
        { new RbdBackendFacts(null, "/etc/ceph/ceph.conf", null, Secret), "rbd, no rbd tool" },
        { new RbdBackendFacts("/usr/bin/rbd", "/etc/ceph/ceph.conf", "cannot be read (no such file)", Secret), "rbd, ceph.conf unusable" },
        { new RbdBackendFacts("/usr/bin/rbd", "/etc/ceph/ceph.conf", null, null), "rbd, no secret" },
        { new RbdBackendFacts("/usr/bin/rbd", "/etc/ceph/ceph.conf", null, Secret), "rbd" },
        { null, "rbd, facts unknown" },
    };

    [Theory]
    [MemberData(nameof(RbdTable))]
    public void Each_rbd_row_is_chosen_by_its_facts(RbdBackendFacts? rbd, string row)
    {
        var facts = new ImageBackendFacts("rbd", true, Rbd: rbd);

        ImageBackendSelection.Rows.First(r => r.When(facts)).Name.ShouldBe(row);
        var decision = ImageBackendSelection.Decide(facts);
        decision.Backend.ShouldBe(ImageBackendKind.Rbd);
        (decision.Refusal is null).ShouldBe(row == "rbd");
    }

    [Fact]
    public void Rbd_refusals_name_the_option_the_value_and_the_fix()
    {
        string Refusal(RbdBackendFacts facts) => ImageBackendSelection.Decide(new ImageBackendFacts("rbd", true, Rbd: facts)).Refusal!;

        Refusal(new(null, "/etc/ceph/ceph.conf", null, Secret)).ShouldBe(
            "[libvirt] images_type = rbd cannot be used: the rbd tool is missing on this host; install the Debian package ceph-common or set [libvirt] images_type = qcow2 or flat");
        Refusal(new("/usr/bin/rbd", "/etc/ceph/c.conf", "has no mon_host in its [global] section", Secret)).ShouldBe(
            "[libvirt] images_type = rbd cannot be used: [libvirt] images_rbd_ceph_conf = /etc/ceph/c.conf has no mon_host in its [global] section; point images_rbd_ceph_conf at the cluster's ceph.conf with its mon_host or set [libvirt] images_type = qcow2 or flat");
        Refusal(new("/usr/bin/rbd", "/etc/ceph/ceph.conf", null, null)).ShouldBe(
            "[libvirt] images_type = rbd cannot be used: [libvirt] rbd_secret_uuid is unset, so libvirt has no key to open the disks with; set it to the UUID of the libvirt secret holding rbd_user's key or set [libvirt] images_type = qcow2 or flat");
    }

    [Fact]
    public void Rbd_with_unknown_host_facts_is_refused_with_the_reason_and_the_fix()
    {
        var decision = ImageBackendSelection.Decide(new ImageBackendFacts("rbd", true));

        decision.Backend.ShouldBe(ImageBackendKind.Rbd);
        decision.Refusal.ShouldBe(
            "[libvirt] images_type = rbd cannot be used: this host's rbd facts (the rbd tool, images_rbd_ceph_conf, rbd_secret_uuid) could not be read; check that ceph-common is installed and images_rbd_ceph_conf is readable, or set [libvirt] images_type = qcow2 or flat");
    }

    [Fact]
    public void Every_row_of_the_table_is_covered_by_the_tests()
    {
        var covered = Table.Select(row => (string)row.Data.Item5).Concat(RbdTable.Select(row => row.Data.Item2)).ToHashSet();

        ImageBackendSelection.Rows.Select(r => r.Name).Where(n => !covered.Contains(n)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("qcow2", true)]
    [InlineData("flat", true)]
    [InlineData("default", true)]
    [InlineData("default", false)]
    public void Served_types_start_without_a_word(string type, bool useCow)
    {
        var decision = ImageBackendSelection.Decide(new ImageBackendFacts(type, useCow));

        decision.Warning.ShouldBeNull();
        decision.Refusal.ShouldBeNull();
    }

    [Fact]
    public void Raw_is_flat_with_a_deprecation_warning_naming_the_option_and_the_new_name()
    {
        var decision = ImageBackendSelection.Decide(new ImageBackendFacts("raw", UseCowImages: true));

        decision.Refusal.ShouldBeNull();
        decision.Warning.ShouldBe("[libvirt] images_type = raw is deprecated (Nova's old name of flat); the flat backend is used: write images_type = flat");
    }

    [Theory]
    [InlineData("lvm", "[libvirt] images_type = lvm cannot be used: this host's volume groups could not be read (no LVM facts); install lvm2 and check that vgs lists images_volume_group, or set [libvirt] images_type = qcow2 or flat")]
    public void Lvm_is_refused_with_the_option_the_value_the_reason_and_the_fix(string type, string sentence)
    {
        ImageBackendSelection.Decide(new ImageBackendFacts(type, UseCowImages: true)).Refusal.ShouldBe(sentence);
    }

    [Fact]
    public void Lvm_is_served_on_a_host_with_device_mapper_and_the_volume_group()
    {
        ImageBackendSelection.Decide(new ImageBackendFacts("lvm", true, Ready)).ShouldBe(new ImageBackendDecision(ImageBackendKind.Lvm));
        ImageBackendSelection.Decide(new ImageBackendFacts("lvm", true, Ready with { DeviceMapper = null })).Refusal.ShouldNotBeNull();
    }

    [Fact]
    public void Lvm_is_refused_with_the_hosts_own_reason_when_its_facts_give_one()
    {
        ImageBackendSelection.Decide(new ImageBackendFacts("lvm", true, NoDeviceMapper)).Refusal.ShouldBe(
            "[libvirt] images_type = lvm cannot be used: this host has no device-mapper (/dev/mapper/control is missing), so no logical volume can be made; set [libvirt] images_type = qcow2 or flat");
        ImageBackendSelection.Decide(new ImageBackendFacts("lvm", true, GroupMissing)).Refusal.ShouldBe(
            "[libvirt] images_type = lvm cannot be used: the volume group nova-vg (images_volume_group) is missing on this host; set [libvirt] images_type = qcow2 or flat");
    }
}

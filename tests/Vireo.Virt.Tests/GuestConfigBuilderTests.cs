using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests;

public sealed class GuestConfigBuilderTests
{
    private static DomainDefinition Build(GuestSpec? spec = null, HypervisorSettings? settings = null) =>
        GuestConfigBuilder.Build(spec ?? Specs.Spec(), settings ?? Specs.Qemu, Specs.CreatedAt, CpuFactValues.For(settings ?? Specs.Qemu));

    [Fact]
    public void Domain_type_is_the_configured_virt_type()
    {
        Build(settings: Specs.Qemu).Type.ShouldBe(DomainType.Qemu);
        Build(settings: Specs.Kvm).Type.ShouldBe(DomainType.Kvm);
    }

    [Fact]
    public void Uuid_is_the_instance_id_and_metadata_records_owner_flavor_image_creation_and_cpu_mode()
    {
        var domain = Build();

        domain.Uuid.ShouldBe(Specs.InstanceId);
        domain.Metadata.ShouldBe(new VireoMetadata(
            Specs.InstallationId,
            Specs.InstanceId,
            "web-1",
            new VireoFlavor("m1.tiny", 1, 128, 1),
            Specs.ImageId.ToString("D"),
            Specs.CreatedAt,
            "host-model"));
    }

    [Fact]
    public void Memory_and_vcpus_come_from_the_flavor_with_one_socket_per_vcpu()
    {
        var domain = Build(Specs.Spec(flavor: Specs.Small));

        domain.MemoryKiB.ShouldBe(2048L * 1024);
        domain.Vcpus.ShouldBe(2);
        domain.Cpu!.Topology.ShouldBe(new CpuTopology(2, 1, 1));
    }

    [Fact]
    public void Os_is_hvm_with_the_pc_machine_by_default_and_boots_from_disk()
    {
        var os = Build().Os;

        os.Type.ShouldBe("hvm");
        os.Arch.ShouldBe("x86_64");
        os.Machine.ShouldBe("pc");
        os.BootDevices.ShouldBe([BootDevice.Hd]);
    }

    [Fact]
    public void Configured_machine_type_replaces_the_default()
    {
        Build(settings: Specs.Qemu with { MachineType = "q35" }).Os.Machine.ShouldBe("q35");
    }

    [Fact]
    public void Features_are_acpi_apic_and_vmcoreinfo_on_x86()
    {
        Build().Features.ShouldBe(["acpi", "apic", "vmcoreinfo"]);
    }

    [Fact]
    public void Kvm_guests_get_novas_x86_timers_and_qemu_guests_a_bare_utc_clock()
    {
        Build(settings: Specs.Kvm).Clock.ShouldBe(new ClockConfig
        {
            Offset = ClockOffset.Utc,
            Timers =
            [
                new TimerConfig("pit", TimerTickPolicy.Delay),
                new TimerConfig("rtc", TimerTickPolicy.Catchup),
                new TimerConfig("hpet", Present: false),
            ],
        });
        Build(settings: Specs.Qemu).Clock.ShouldBe(new ClockConfig { Offset = ClockOffset.Utc });
    }

    [Fact]
    public void Root_disk_is_vda_on_virtio_with_its_explicit_format_and_the_configured_cache()
    {
        var disk = Build(settings: Specs.Qemu with { DiskCacheMode = DiskCache.Writethrough }).Devices.Disks.ShouldHaveSingleItem();

        disk.ShouldBe(new DiskConfig
        {
            Device = DiskDevice.Disk,
            Format = DiskFormat.Qcow2,
            Source = new DiskSource.File(Specs.InstanceDirectory + "/disk"),
            TargetDev = "vda",
            Bus = DiskBus.Virtio,
            Cache = DiskCache.Writethrough,
        });
    }

    [Fact]
    public void Cache_mode_defaults_to_none()
    {
        Build().Devices.Disks[0].Cache.ShouldBe(DiskCache.None);
    }

    [Theory]
    [InlineData(DiskCache.None, DiskIo.Native)]
    [InlineData(DiskCache.Directsync, DiskIo.Native)]
    [InlineData(DiskCache.Writeback, DiskIo.Threads)]
    [InlineData(DiskCache.Writethrough, DiskIo.Threads)]
    public void A_block_root_disk_keeps_its_device_and_gets_native_io_only_with_a_cache_mode_that_bypasses_the_host_cache(DiskCache cache, DiskIo io)
    {
        var source = new DiskSource.Block("/dev/vg/x_disk");
        var disk = Build(Specs.Spec(disks: [new GuestDisk(DiskRole.Root, source, DiskFormat.Raw)]), Specs.Qemu with { DiskCacheMode = cache })
            .Devices.Disks.ShouldHaveSingleItem();

        disk.Source.ShouldBe(source);
        disk.Io.ShouldBe(io);
        disk.Cache.ShouldBe(cache);
    }

    [Fact]
    public void File_and_network_disks_leave_io_to_qemu_and_keep_their_source()
    {
        var rbd = new DiskSource.Rbd("vms", "x_disk", [new NetworkHost("192.0.2.1", 6789)], "nova", Guid.NewGuid());
        var disks = Build(Specs.Spec(disks:
        [
            new GuestDisk(DiskRole.Root, rbd, DiskFormat.Raw),
            GuestDisk.File(DiskRole.Swap, "/i/disk.swap", DiskFormat.Raw),
        ])).Devices.Disks;

        disks.Select(d => (d.Source, d.Io)).ShouldBe([((DiskSource)rbd, (DiskIo?)null), (new DiskSource.File("/i/disk.swap"), null)]);
    }

    [Fact]
    public void Disks_are_ordered_root_ephemeral_swap_whatever_order_they_are_given_in()
    {
        var dir = Specs.InstanceDirectory;
        var disks = Build(Specs.Spec(disks:
        [
            GuestDisk.File(DiskRole.Swap, dir + "/disk.swap", DiskFormat.Raw),
            GuestDisk.File(DiskRole.Ephemeral, dir + "/disk.local", DiskFormat.Qcow2),
            GuestDisk.File(DiskRole.Root, dir + "/disk", DiskFormat.Qcow2),
        ])).Devices.Disks;

        disks.Select(d => (((DiskSource.File)d.Source).Path, d.TargetDev, d.Format)).ShouldBe(
        [
            (dir + "/disk", "vda", DiskFormat.Qcow2),
            (dir + "/disk.local", "vdb", DiskFormat.Qcow2),
            (dir + "/disk.swap", "vdc", DiskFormat.Raw),
        ]);
    }

    [Theory]
    [InlineData("pc", "hdd", DiskBus.Ide)]
    [InlineData("q35", "sda", DiskBus.Sata)]
    public void Config_drive_is_a_cdrom_on_the_bus_the_machine_type_has(string machine, string dev, DiskBus bus)
    {
        var disks = Build(
            Specs.Spec(disks:
            [
                GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Qcow2),
                GuestDisk.File(DiskRole.ConfigDrive, "/i/disk.config", DiskFormat.Raw),
            ]),
            Specs.Qemu with { MachineType = machine }).Devices.Disks;

        disks[1].Device.ShouldBe(DiskDevice.Cdrom);
        disks[1].TargetDev.ShouldBe(dev);
        disks[1].Bus.ShouldBe(bus);
    }

    [Theory]
    [InlineData("pc", "hda", DiskBus.Ide)]
    [InlineData("q35", "sda", DiskBus.Sata)]
    public void An_iso_root_is_a_cdrom_on_the_cdrom_bus_and_the_guest_boots_from_it_first(string machine, string dev, DiskBus bus)
    {
        var definition = Build(
            Specs.Spec(disks: [GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Qcow2, isCdrom: true), GuestDisk.File(DiskRole.Ephemeral, "/i/disk.local", DiskFormat.Qcow2)]),
            Specs.Qemu with { MachineType = machine });

        definition.Os.BootDevices.ShouldBe([BootDevice.Cdrom, BootDevice.Hd]);
        var disks = definition.Devices.Disks;
        disks[0].Device.ShouldBe(DiskDevice.Cdrom);
        disks[0].TargetDev.ShouldBe(dev);
        disks[0].Bus.ShouldBe(bus);
        disks[1].Device.ShouldBe(DiskDevice.Disk);
        disks[1].TargetDev.ShouldBe("vda");
    }

    [Fact]
    public void Image_machine_type_wins_over_the_configured_one()
    {
        var image = Specs.Image(new Dictionary<string, string> { ["hw_machine_type"] = "q35" });

        Build(Specs.Spec(image: image), Specs.Qemu with { MachineType = "pc-i440fx-7.2" }).Os.Machine.ShouldBe("q35");
    }

    [Theory]
    [InlineData("virtio", "vd", DiskBus.Virtio)]
    [InlineData("sata", "sd", DiskBus.Sata)]
    [InlineData("scsi", "sd", DiskBus.Scsi)]
    [InlineData("usb", "sd", DiskBus.Usb)]
    [InlineData("ide", "hd", DiskBus.Ide)]
    public void Image_disk_bus_puts_every_local_disk_on_that_bus_with_its_device_names(string property, string prefix, DiskBus bus)
    {
        var image = Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = property });
        var disks = Build(
            Specs.Spec(image: image, disks:
            [
                GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Qcow2),
                GuestDisk.File(DiskRole.Ephemeral, "/i/disk.local", DiskFormat.Qcow2),
            ]),
            Specs.Qemu).Devices.Disks;

        disks.Select(d => (d.TargetDev, d.Bus)).ShouldBe([(prefix + "a", bus), (prefix + "b", bus)]);
    }

    [Fact]
    public void Sata_cdrom_follows_sata_disks_instead_of_taking_their_name()
    {
        var image = Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = "sata" });
        var disks = Build(
            Specs.Spec(image: image, disks:
            [
                GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Qcow2),
                GuestDisk.File(DiskRole.ConfigDrive, "/i/disk.config", DiskFormat.Raw),
            ]),
            Specs.Qemu with { MachineType = "q35" }).Devices.Disks;

        disks.Select(d => d.TargetDev).ShouldBe(["sda", "sdb"]);
    }

    [Fact]
    public void Ide_disks_on_a_q35_machine_are_refused_with_the_way_out()
    {
        var image = Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = "ide", ["hw_machine_type"] = "q35" });

        var error = Should.Throw<VireoException>(() => Build(Specs.Spec(image: image), Specs.Qemu));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("has hw_disk_bus='ide' but the guest's machine type is q35, which has no IDE controller; use hw_disk_bus=sata, or hw_machine_type=pc");
    }

    [Fact]
    public void A_virtio_cdrom_is_refused_naming_the_cdrom_buses()
    {
        var image = Specs.Image(new Dictionary<string, string> { ["hw_cdrom_bus"] = "virtio" });

        var error = Should.Throw<VireoException>(() => Build(
            Specs.Spec(image: image, disks: [GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Qcow2), GuestDisk.File(DiskRole.ConfigDrive, "/i/disk.config", DiskFormat.Raw)]),
            Specs.Qemu));

        error.Message.ShouldContain("hw_cdrom_bus='virtio', which a kvm/qemu guest cannot use; set it to one of ide, sata, scsi, usb");
    }

    [Fact]
    public void More_than_three_ide_disks_are_refused()
    {
        var image = Specs.Image(new Dictionary<string, string> { ["hw_disk_bus"] = "ide" });

        Should.Throw<VireoException>(() => Build(
            Specs.Spec(image: image, disks:
            [
                GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Qcow2),
                GuestDisk.File(DiskRole.Ephemeral, "/i/disk.local", DiskFormat.Qcow2),
                GuestDisk.File(DiskRole.Ephemeral, "/i/disk.eph1", DiskFormat.Qcow2),
                GuestDisk.File(DiskRole.Swap, "/i/disk.swap", DiskFormat.Raw),
            ]),
            Specs.Qemu)).Message.ShouldContain("room for 3 of them");
    }

    [Fact]
    public void A_guest_without_disks_is_allowed()
    {
        Build(Specs.Spec(disks: [])).Devices.Disks.ShouldBeEmpty();
    }

    [Fact]
    public void A_format_other_than_raw_or_qcow2_is_refused_naming_the_disk()
    {
        var e = Should.Throw<VireoException>(() => Build(Specs.Spec(disks: [GuestDisk.File(DiskRole.Root, "/i/disk", DiskFormat.Vmdk)])));

        e.Kind.ShouldBe(ErrorKind.Failed);
        e.Message.ShouldContain("/i/disk");
        e.Message.ShouldContain("'vmdk'");
    }

    [Fact]
    public void Two_root_disks_are_refused()
    {
        Should.Throw<VireoException>(() => Build(Specs.Spec(disks:
        [
            GuestDisk.File(DiskRole.Root, "/i/a", DiskFormat.Raw),
            GuestDisk.File(DiskRole.Root, "/i/b", DiskFormat.Raw),
        ]))).Kind.ShouldBe(ErrorKind.Internal);
    }

    [Fact]
    public void A_relative_instance_directory_is_refused()
    {
        Should.Throw<VireoException>(() => Build(Specs.Spec(directory: "instances/x"))).Message.ShouldContain("instances/x");
    }

    [Fact]
    public void Serial_console_appends_to_console_log_in_the_instance_directory()
    {
        Build().Devices.Serials.ShouldBe([new SerialConfig(Specs.InstanceDirectory + "/console.log", Append: true)]);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("YES")]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("1")]
    [InlineData("on")]
    [InlineData(" y ")]
    [InlineData("t")]
    public void Agent_channel_is_added_when_the_image_property_is_true_in_novas_sense(string value)
    {
        Build(Specs.Spec(image: Specs.ImageWithAgent(value))).Devices.Channels
            .ShouldBe([new ChannelConfig(Specs.InstanceDirectory + "/qga.sock", "org.qemu.guest_agent.0")]);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("enabled")]
    public void Agent_channel_is_absent_when_the_image_property_is_not_true(string value)
    {
        Build(Specs.Spec(image: Specs.ImageWithAgent(value))).Devices.Channels.ShouldBeEmpty();
    }

    [Fact]
    public void Agent_channel_is_absent_when_the_image_does_not_ask_for_it()
    {
        Build().Devices.Channels.ShouldBeEmpty();
    }

    [Fact]
    public void An_agent_socket_path_too_long_for_a_unix_socket_is_a_configuration_error()
    {
        var dir = "/" + new string('d', 100);
        var e = Should.Throw<VireoException>(() => Build(Specs.Spec(image: Specs.ImageWithAgent(), directory: dir)));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldContain("instances_path");
    }

    [Fact]
    public void Memballoon_is_virtio_with_the_stats_period()
    {
        Build(settings: Specs.Qemu with { MemStatsPeriodSeconds = 30 }).Devices.Memballoon
            .ShouldBe(new MemballoonConfig { Model = MemballoonModel.Virtio, StatsPeriodSeconds = 30 });
    }

    [Fact]
    public void Memballoon_is_none_when_the_stats_period_is_zero()
    {
        Build(settings: Specs.Qemu with { MemStatsPeriodSeconds = 0 }).Devices.Memballoon
            .ShouldBe(new MemballoonConfig { Model = MemballoonModel.None });
    }

    [Fact]
    public void Same_input_gives_the_same_definition_and_xml()
    {
        DomainXmlWriter.Format(Build()).ShouldBe(DomainXmlWriter.Format(Build()));
    }
}

using System.Text;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;

namespace Vireo.Virt;

/// <summary>
/// Decides the libvirt definition of a guest from the compute request and the host settings,
/// following the defaults Nova's <c>LibvirtDriver._get_guest_config</c> writes for an x86
/// kvm/qemu guest (Nova: nova/virt/libvirt/config.py and driver.py _get_guest_config). Pure: the same input gives the same definition.
/// </summary>
public static class GuestConfigBuilder
{
    public const string AgentSocketFileName = "qga.sock";

    /// <summary>sockaddr_un.sun_path is 108 bytes including the terminating NUL.</summary>
    private const int MaxUnixSocketPathBytes = 107;

    /// <param name="createdAt">Recorded in Vireo's metadata as the guest's creation time.</param>
    /// <param name="modelNames">The CPU model names of the daemon the guest is defined on, which give <c>cpu_models</c> their libvirt spelling; null writes them as configured.</param>
    public static DomainDefinition Build(GuestSpec spec, HypervisorSettings settings, DateTimeOffset createdAt, CpuModelNames? modelNames)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        var directory = spec.Disks.InstanceDirectory;
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new VireoException(
                ErrorKind.Internal,
                $"instance {spec.InstanceId}: instance directory '{directory}' is not an absolute path; libvirt resolves relative paths against its own working directory");
        }

        var flavor = spec.Flavor;
        var machine = MachineType(spec, settings);
        return new DomainDefinition
        {
            Type = settings.VirtType,
            Name = GuestNames.DomainName(spec.InstanceId, spec.Name),
            Uuid = spec.InstanceId,
            Metadata = new VireoMetadata(
                settings.InstallationId,
                spec.InstanceId,
                spec.Name,
                new VireoFlavor(flavor.Name, flavor.Vcpus, flavor.MemoryMiB, flavor.RootDiskGiB),
                spec.Image.Id.ToString("D"),
                createdAt,
                CpuModes.NovaName(settings.EffectiveCpuMode)),
            MemoryKiB = flavor.MemoryMiB * 1024L,
            Vcpus = flavor.Vcpus,
            Os = new OsConfig
            {
                Arch = settings.Arch,
                Machine = machine,
                BootDevices = BootOrder(spec),
            },
            Features = Features(settings.Arch),
            Clock = Clock(settings),
            Cpu = GuestCpuPolicy.Build(settings, flavor.Vcpus, modelNames),
            Devices = new DeviceConfig
            {
                Disks = Disks(spec, settings, machine),
                Serials = [new SerialConfig(spec.Disks.ConsoleLog, Append: true)],
                Channels = AgentChannel(spec, directory),
                Memballoon = Memballoon(settings),
            },
        };
    }

    /// <summary>Nova's <c>_set_features</c>: acpi and apic for kvm/qemu, vmcoreinfo on x86 and AArch64.</summary>
    private static EquatableArray<string> Features(string arch)
    {
        List<string> features = ["acpi", "apic"];
        if (arch is "x86_64" or "i686" or "aarch64")
        {
            features.Add("vmcoreinfo");
        }

        return features.ToEquatableArray();
    }

    /// <summary>
    /// Nova's <c>_set_clock</c>: UTC, and the pit/rtc/hpet timers only when virt_type is kvm on x86
    /// (<c>_set_kvm_timers</c>); a TCG guest gets a bare UTC clock, as under Nova.
    /// </summary>
    private static ClockConfig Clock(HypervisorSettings settings) =>
        settings.VirtType == DomainType.Kvm && settings.Arch is "x86_64" or "i686"
            ? new ClockConfig
            {
                Offset = ClockOffset.Utc,
                Timers =
                [
                    new TimerConfig("pit", TimerTickPolicy.Delay),
                    new TimerConfig("rtc", TimerTickPolicy.Catchup),
                    new TimerConfig("hpet", Present: false),
                ],
            }
            : new ClockConfig { Offset = ClockOffset.Utc };

    /// <summary>
    /// Nova's <c>get_machine_type</c>: the image's <c>hw_machine_type</c> wins over
    /// <c>[libvirt] hw_machine_type</c>, which wins over the per-arch default.
    /// </summary>
    internal static string? MachineType(GuestSpec spec, HypervisorSettings settings) =>
        spec.Image.Properties.TryGetValue(ImagePropertyRules.MachineType, out var machine) && !string.IsNullOrWhiteSpace(machine)
            ? machine.Trim()
            : settings.EffectiveMachineType;

    /// <summary>
    /// Root first, then ephemeral and swap disks in the order Nova's blockinfo gives them (disk,
    /// disk.local, disk.swap), all on the image's <c>hw_disk_bus</c> (virtio by default: vda, vdb...;
    /// sata, scsi and usb: sda...; ide: hda...); a config drive is a cdrom on the image's
    /// <c>hw_cdrom_bus</c>, by default the last IDE slot (hdd) of a pc machine or SATA on q35,
    /// which has no IDE.
    /// </summary>
    private static EquatableArray<DiskConfig> Disks(GuestSpec spec, HypervisorSettings settings, string? machine)
    {
        var roots = spec.Disks.Disks.Count(d => d.Role == DiskRole.Root);
        if (roots > 1)
        {
            throw new VireoException(ErrorKind.Internal, $"instance {spec.InstanceId}: {roots} root disks requested; a guest has one");
        }

        var q35 = machine?.Contains("q35", StringComparison.Ordinal) == true;
        var diskBus = ImageBus(spec, ImagePropertyRules.DiskBus, DiskBus.Virtio, q35);
        var cdromBus = ImageBus(spec, ImagePropertyRules.CdromBus, q35 ? DiskBus.Sata : DiskBus.Ide, q35);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var disks = new List<DiskConfig>();
        foreach (var disk in spec.Disks.Disks.OrderBy(d => RoleOrder(d.Role)))
        {
            var format = Format(spec.InstanceId, disk);
            if (disk.Role == DiskRole.Root && disk.IsCdrom)
            {
                disks.Add(new DiskConfig
                {
                    Device = DiskDevice.Cdrom,
                    Format = format,
                    Source = disk.Source,
                    TargetDev = NextTarget(spec, cdromBus, used),
                    Bus = cdromBus,
                    Cache = settings.DiskCacheMode,
                    Io = Io(disk.Source, settings.DiskCacheMode),
                });
                continue;
            }

            if (disk.Role == DiskRole.ConfigDrive)
            {
                disks.Add(new DiskConfig
                {
                    Device = DiskDevice.Cdrom,
                    Format = format,
                    Source = disk.Source,
                    // Nova puts an IDE config drive on the last slot, out of the way of the disks.
                    TargetDev = cdromBus == DiskBus.Ide ? "hdd" : NextTarget(spec, cdromBus, used),
                    Bus = cdromBus,
                    Cache = settings.DiskCacheMode,
                    Io = Io(disk.Source, settings.DiskCacheMode),
                });
                continue;
            }

            disks.Add(new DiskConfig
            {
                Format = format,
                Source = disk.Source,
                TargetDev = NextTarget(spec, diskBus, used),
                Bus = diskBus,
                Cache = settings.DiskCacheMode,
                Io = Io(disk.Source, settings.DiskCacheMode),
            });
        }

        return disks.ToEquatableArray();
    }

    /// <summary>Nova's <c>get_boot_order</c>: from the CD-ROM first when the root is one (an ISO image), else the disk.</summary>
    private static EquatableArray<BootDevice> BootOrder(GuestSpec spec) =>
        spec.Disks.Disks.Any(d => d.Role == DiskRole.Root && d.IsCdrom)
            ? new[] { BootDevice.Cdrom, BootDevice.Hd }.ToEquatableArray()
            : new[] { BootDevice.Hd }.ToEquatableArray();

    /// <summary>The bus an image property asks for, or the default; ide on q35 is refused (q35 has no IDE controller).</summary>
    private static DiskBus ImageBus(GuestSpec spec, string key, DiskBus fallback, bool q35)
    {
        if (!spec.Image.Properties.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var bus = value.Trim() switch
        {
            "virtio" when key == ImagePropertyRules.DiskBus => DiskBus.Virtio,
            "sata" => DiskBus.Sata,
            "scsi" => DiskBus.Scsi,
            "ide" => DiskBus.Ide,
            "usb" => DiskBus.Usb,
            _ => throw VireoException.InvalidInput(
                $"{spec.Image.Label} has {key}='{value}', which a kvm/qemu guest cannot use; set it to one of {string.Join(", ", key == ImagePropertyRules.DiskBus ? ImagePropertyRules.DiskBuses : ImagePropertyRules.CdromBuses)}"),
        };
        if (bus == DiskBus.Ide && q35)
        {
            throw VireoException.InvalidInput(
                $"{spec.Image.Label} has {key}='ide' but the guest's machine type is q35, which has no IDE controller; use {key}=sata, or hw_machine_type=pc");
        }

        return bus;
    }

    /// <summary>The next free target name for a bus: vdX for virtio, hdX for ide (a-d), sdX for the others.</summary>
    private static string NextTarget(GuestSpec spec, DiskBus bus, Dictionary<string, int> used)
    {
        var prefix = bus switch
        {
            DiskBus.Virtio => "vd",
            DiskBus.Ide => "hd",
            _ => "sd",
        };
        var index = used.GetValueOrDefault(prefix);
        used[prefix] = index + 1;

        // hdd is kept for a config drive, as Nova does.
        if (bus == DiskBus.Ide && index >= 3)
        {
            throw VireoException.InvalidInput(
                $"{spec.Image.Label} puts the disks on IDE (hw_disk_bus=ide), which has room for 3 of them besides a config drive, but the guest needs more; use hw_disk_bus=virtio or sata");
        }

        return prefix + DiskLetters(index);
    }

    private static int RoleOrder(DiskRole role) => role switch
    {
        DiskRole.Root => 0,
        DiskRole.Ephemeral => 1,
        DiskRole.Swap => 2,
        _ => 3,
    };

    /// <summary>
    /// Nova's block disks (imagebackend.py Lvm: driver_io native) get io='native', which needs
    /// O_DIRECT: with a cache mode other than none or directsync Nova writes io='threads'
    /// instead (LP #1841363). Files and network disks get QEMU's default.
    /// </summary>
    internal static DiskIo? Io(DiskSource source, DiskCache? cache) => source is DiskSource.Block
        ? cache is DiskCache.None or DiskCache.Directsync ? DiskIo.Native : DiskIo.Threads
        : null;

    private static DiskFormat Format(Guid instanceId, GuestDisk disk) => disk.Format.LibvirtDriverType() is not null
        ? disk.Format
        : throw new VireoException(
            ErrorKind.Failed,
            $"instance {instanceId}: disk {disk.Source.Describe()} has format '{disk.Format.Name()}'; guests are defined with raw or qcow2 disks only, convert it first");

    /// <summary>Linux's naming: a..z, then aa..zz (Nova's <c>block_device.get_device_letter</c> inverse).</summary>
    internal static string DiskLetters(int index)
    {
        var letters = new StringBuilder();
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
        {
            letters.Insert(0, (char)('a' + ((i - 1) % 26)));
        }

        return letters.ToString();
    }

    /// <summary>Nova adds the agent channel only when the image asks for it (hw_qemu_guest_agent).</summary>
    private static EquatableArray<ChannelConfig> AgentChannel(GuestSpec spec, string directory)
    {
        if (!ImagePropertyRules.IsTrue(spec.Image.Properties, ImagePropertyRules.QemuGuestAgent))
        {
            return [];
        }

        var socket = Path.Combine(directory, AgentSocketFileName);
        if (Encoding.UTF8.GetByteCount(socket) > MaxUnixSocketPathBytes)
        {
            throw new VireoException(
                ErrorKind.Configuration,
                $"instance {spec.InstanceId}: the guest agent socket path '{socket}' is longer than the {MaxUnixSocketPathBytes} bytes a unix socket allows; use a shorter [DEFAULT] instances_path");
        }

        return [new ChannelConfig(socket)];
    }

    /// <summary>Nova's <c>_guest_add_memory_balloon</c>: virtio with a stats period, or no balloon when the period is 0.</summary>
    private static MemballoonConfig Memballoon(HypervisorSettings settings) =>
        settings.MemStatsPeriodSeconds > 0
            ? new MemballoonConfig { Model = MemballoonModel.Virtio, StatsPeriodSeconds = settings.MemStatsPeriodSeconds }
            : new MemballoonConfig { Model = MemballoonModel.None };
}

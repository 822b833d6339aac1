using Vireo.Core;

namespace Vireo.DomainXml.Tests.TestSupport;

/// <summary>The definitions behind the golden files; each is what a guest config builder could produce.</summary>
internal static class SampleDomains
{
    public const string InstallationId = "vireo-test-installation";

    public static readonly Guid InstanceId = Guid.Parse("5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c");

    private const string InstanceDir = "/var/lib/vireo/instances/5f3c8e4a-2b1d-4c6e-9a7f-0d1e2f3a4b5c";

    public static DomainDefinition MinimalQemuGuest() => new()
    {
        Type = DomainType.Qemu,
        Name = "instance-00000001",
        Uuid = InstanceId,
        Metadata = new VireoMetadata(
            InstallationId,
            InstanceId,
            "web-1",
            new VireoFlavor("m1.tiny", 1, 128, 1),
            "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
            new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero)),
        MemoryKiB = 128 * 1024,
        Vcpus = 1,
        Os = new OsConfig { Arch = "x86_64", Machine = "pc", BootDevices = [BootDevice.Hd] },
        Features = ["acpi", "apic", "vmcoreinfo"],
        Cpu = new CpuConfig { Mode = CpuMode.HostModel, Topology = new CpuTopology(1, 1, 1) },
        Devices = new DeviceConfig
        {
            Disks = [new DiskConfig { Format = DiskFormat.Qcow2, Source = new DiskSource.File($"{InstanceDir}/disk"), TargetDev = "vda", Cache = DiskCache.None }],
            Serials = [new SerialConfig($"{InstanceDir}/console.log")],
            Channels = [new ChannelConfig($"{InstanceDir}/org.qemu.guest_agent.0.sock")],
            Memballoon = new MemballoonConfig { StatsPeriodSeconds = 10 },
        },
    };

    /// <summary>Features deliberately given out of order: the output must still list them sorted.</summary>
    public static DomainDefinition KvmHostModelWithExtraFeatures() => MinimalQemuGuest() with
    {
        Type = DomainType.Kvm,
        Name = "instance-00000002",
        Uuid = Guid.Parse("a1b2c3d4-e5f6-4789-8abc-def012345678"),
        Metadata = new VireoMetadata(InstallationId, Guid.Parse("a1b2c3d4-e5f6-4789-8abc-def012345678")),
        MemoryKiB = 2 * 1024 * 1024,
        Vcpus = 2,
        Features = ["vmcoreinfo", "apic", "acpi"],
        Clock = new ClockConfig
        {
            Timers =
            [
                new TimerConfig("pit", TimerTickPolicy.Delay),
                new TimerConfig("rtc", TimerTickPolicy.Catchup),
                new TimerConfig("hpet", Present: false),
            ],
        },
        Cpu = new CpuConfig
        {
            Mode = CpuMode.HostModel,
            Topology = new CpuTopology(2, 1, 1),
            Features = [new CpuFeature("pdpe1gb"), new CpuFeature("md-clear"), new CpuFeature("vmx", CpuFeaturePolicy.Disable), new CpuFeature("avx2")],
        },
    };

    public static DomainDefinition CustomNehalem() => MinimalQemuGuest() with
    {
        Name = "instance-00000003",
        Cpu = new CpuConfig
        {
            Mode = CpuMode.Custom,
            Match = CpuMatch.Exact,
            Model = "Nehalem",
            Fallback = CpuModelFallback.Forbid,
            Topology = new CpuTopology(1, 1, 1),
            Features = [new CpuFeature("x2apic", CpuFeaturePolicy.Disable), new CpuFeature("pcid", CpuFeaturePolicy.Require)],
        },
    };

    public static DomainDefinition CpuModeNone() => MinimalQemuGuest() with
    {
        Name = "instance-00000004",
        Cpu = null,
        Devices = MinimalQemuGuest().Devices with
        {
            Disks = [new DiskConfig { Format = DiskFormat.Raw, Source = new DiskSource.File($"{InstanceDir}/disk"), TargetDev = "vda", Cache = DiskCache.Writeback, Discard = DiskDiscard.Unmap }],
        },
    };

    public static DomainDefinition MemballoonNone() => MinimalQemuGuest() with
    {
        Name = "instance-00000005",
        Metadata = null,
        Devices = MinimalQemuGuest().Devices with
        {
            Channels = [],
            Memballoon = new MemballoonConfig { Model = MemballoonModel.None },
        },
    };
}

using Vireo.Core;
using Vireo.DomainXml.Tests.TestSupport;

namespace Vireo.DomainXml.Tests;

/// <summary>
/// The sample is virDomainGetXMLDesc output of a running guest as libvirt 9.0 shapes it: resource,
/// seclabels, controllers, aliases, addresses, backing chain, console, expanded host-model CPU and
/// other software's metadata next to Vireo's.
/// </summary>
public sealed class LibvirtReturnedXmlTests
{
    private static readonly Guid Uuid = Guid.Parse("7d4c1b9e-3a2f-4e8d-b6c5-1f0e9d8c7b6a");

    private const string InstanceDir = "/var/lib/vireo/instances/7d4c1b9e-3a2f-4e8d-b6c5-1f0e9d8c7b6a";

    private static string SampleXml => File.ReadAllText(RepositoryPaths.Sample("libvirt-9.0-running-domain.xml"));

    [Fact]
    public void Vireo_metadata_is_extracted_from_among_other_softwares_metadata()
    {
        VireoMetadataXml.Extract(SampleXml).ShouldBe(new VireoMetadata(
            "lab-7f3a",
            Uuid,
            "db & cache",
            new VireoFlavor("m1.small", 2, 2048, 20),
            "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
            new DateTimeOffset(2026, 11, 27, 9, 30, 12, 500, TimeSpan.Zero)));
    }

    [Fact]
    public void Definition_is_read_and_everything_libvirt_added_is_ignored()
    {
        var domain = DomainXmlReader.Parse(SampleXml);

        domain.ShouldBe(new DomainDefinition
        {
            Type = DomainType.Qemu,
            Name = "instance-0000002a",
            Uuid = Uuid,
            Metadata = VireoMetadataXml.Extract(SampleXml),
            MemoryKiB = 2 * 1024 * 1024,
            Vcpus = 2,
            Os = new OsConfig { Arch = "x86_64", Machine = "pc-i440fx-7.2", BootDevices = [BootDevice.Hd] },
            Features = ["acpi", "apic", "vmcoreinfo"],
            Clock = new ClockConfig
            {
                Timers = [new TimerConfig("pit", TimerTickPolicy.Delay), new TimerConfig("rtc", TimerTickPolicy.Catchup), new TimerConfig("hpet", Present: false)],
            },
            Cpu = new CpuConfig
            {
                Mode = CpuMode.Custom,
                Match = CpuMatch.Exact,
                Model = "EPYC",
                Fallback = CpuModelFallback.Forbid,
                Vendor = "AMD",
                Topology = new CpuTopology(2, 1, 1),
                Features =
                [
                    new CpuFeature("x2apic"), new CpuFeature("tsc-deadline"), new CpuFeature("hypervisor"),
                    new CpuFeature("svm"), new CpuFeature("xsaves", CpuFeaturePolicy.Disable),
                ],
            },
            Devices = new DeviceConfig
            {
                Disks = [new DiskConfig { Format = DiskFormat.Qcow2, Source = new DiskSource.File($"{InstanceDir}/disk"), TargetDev = "vda", Cache = DiskCache.None, Discard = DiskDiscard.Unmap }],
                Serials = [new SerialConfig($"{InstanceDir}/console.log")],
                Channels = [new ChannelConfig($"{InstanceDir}/org.qemu.guest_agent.0.sock")],
                Memballoon = new MemballoonConfig { StatsPeriodSeconds = 10 },
            },
        });
    }

    [Fact]
    public void A_feature_libvirt_reports_as_state_off_is_not_an_enabled_feature()
    {
        DomainXmlReader.Parse(SampleXml).Features.ShouldNotContain("pmu");
    }

    [Fact]
    public void Reformatting_a_libvirt_returned_domain_drops_libvirts_additions()
    {
        var text = DomainXmlWriter.Format(DomainXmlReader.Parse(SampleXml));

        text.ShouldNotContain("<alias");
        text.ShouldNotContain("<address");
        text.ShouldNotContain("<controller");
        text.ShouldNotContain("<console");
        text.ShouldNotContain("seclabel");
        text.ShouldNotContain("nova");
    }
}

using System.Diagnostics;
using System.Text.Json;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests;

/// <summary>
/// Boots the test image through the binding on the real libvirtd, as a user's image would boot:
/// a qcow2 overlay on the image, domain type qemu (TCG: KVM is unusable on these hosts, docs/host-notes.md),
/// the serial console to a file, the guest agent channel.
/// </summary>
public sealed class BootTestImageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Test_image_boots_answers_the_agent_and_powers_off_on_acpi_shutdown()
    {
        var name = $"vireo-it-boot-{Guid.NewGuid():N}"[..30];
        var uuid = Guid.NewGuid();
        var dir = Directory.CreateTempSubdirectory("vireo-it-");
        var overlay = Path.Combine(dir.FullName, "disk");
        var console = Path.Combine(dir.FullName, "console.log");
        var agent = Path.Combine(dir.FullName, "qga.sock");
        using var connection = Connection.Open("qemu:///system");
        try
        {
            Processes.Run("qemu-img", ["create", "-f", "qcow2", "-F", "qcow2", "-b", TestImage.Qcow2Path, overlay], TimeSpan.FromMinutes(1));
            var xml = DomainXmlWriter.Format(Guest(name, uuid, new DiskSource.File(overlay), DiskFormat.Qcow2, console, agent, new MemballoonConfig { StatsPeriodSeconds = 10 }));
            var clock = Stopwatch.StartNew();
            using var domain = connection.DefineDomain(xml, validate: true);
            domain.Start();

            await WaitFor(() => File.Exists(console) && File.ReadAllText(console).Contains(TestImage.BootMarker, StringComparison.Ordinal),
                BootDeadline, () => $"no boot marker in {console}: {Tail(console)}");
            var marker = clock.Elapsed;

            var reply = await WaitForAgentAsync(domain, BootDeadline, "the guest agent never answered guest-ping");
            var agentReady = clock.Elapsed;
            JsonDocument.Parse(reply).RootElement.TryGetProperty("return", out _).ShouldBeTrue();

            var info = JsonDocument.Parse(domain.QemuAgentCommand("""{"execute":"guest-info"}""", TimeSpan.FromSeconds(10)));
            info.RootElement.GetProperty("return").GetProperty("version").GetString().ShouldNotBeNullOrWhiteSpace();

            clock.Restart();
            domain.Shutdown(PowerRequestMode.AcpiPowerButton);
            await WaitFor(() => domain.GetState().State == DomainState.Shutoff, TimeSpan.FromMinutes(2),
                () => $"the guest did not power off on ACPI shutdown: {Tail(console)}");
            domain.GetState().ReasonName.ShouldBe("shutdown");
            output.WriteLine($"boot->marker {marker.TotalSeconds:F1} s, boot->agent {agentReady.TotalSeconds:F1} s, acpi shutdown {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            Cleanup(connection, uuid);
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Waits until the guest's agent answers guest-ping through libvirt; returns the reply.</summary>
    internal static async Task<string> WaitForAgentAsync(Domain domain, TimeSpan deadline, string failure)
    {
        string? reply = null;
        await WaitFor(() =>
        {
            try
            {
                reply = domain.QemuAgentCommand("""{"execute":"guest-ping"}""", TimeSpan.FromSeconds(5));
                return true;
            }
            catch (LibvirtException)
            {
                return false;
            }
        }, deadline, () => failure);
        return reply!;
    }

    /// <summary>A minimal TCG guest of the test image: one disk on vda, the serial console to a file, the agent channel.</summary>
    internal static DomainDefinition Guest(string name, Guid uuid, DiskSource disk, DiskFormat format, string console, string agent, MemballoonConfig? memballoon = null) => new()
    {
        Type = DomainType.Qemu,
        Name = name,
        Uuid = uuid,
        Metadata = new VireoMetadata("integration-tests", uuid, name),
        MemoryKiB = 128 * 1024,
        Vcpus = 1,
        Os = new OsConfig { Arch = "x86_64", Machine = "pc", BootDevices = [BootDevice.Hd] },
        Features = ["acpi", "apic"],
        Devices = new DeviceConfig
        {
            Disks = [new DiskConfig { Format = format, Source = disk, TargetDev = "vda" }],
            Serials = [new SerialConfig(console)],
            Channels = [new ChannelConfig(agent)],
            Memballoon = memballoon,
        },
    };

    internal static void Cleanup(Connection connection, Guid uuid)
    {
        using var domain = connection.TryLookupDomainByUuid(uuid);
        if (domain is null)
        {
            return;
        }
        if (domain.GetState().State != DomainState.Shutoff)
        {
            try { domain.Destroy(); } catch (LibvirtOperationInvalidException) { }
        }
        try { domain.Undefine(); } catch (LibvirtException) { }
    }

    internal static async Task WaitFor(Func<bool> condition, TimeSpan deadline, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{failure()} (after {deadline.TotalSeconds:F0} s)");
            }
            await Task.Delay(200);
        }
    }

    internal static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(15)) : "(no console log)";
}

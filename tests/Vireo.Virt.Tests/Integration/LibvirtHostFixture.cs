using System.Diagnostics;
using System.Globalization;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests.Integration;

/// <summary>
/// The real libvirtd (qemu:///system, started by scripts/setup-host) with a hypervisor of its own
/// installation id, so what it lists is exactly what this test class made. Guests are TCG guests
/// whose root disk is an empty qcow2: the BIOS finds nothing to boot and sits there, which is all
/// define/start/stop/reboot need. Each test class gets its own fixture (its own connection).
/// </summary>
public sealed class LibvirtHostFixture : IAsyncLifetime
{
    public const string Uri = "qemu:///system";

    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public string InstallationId { get; } = "vireo-test-" + Guid.NewGuid().ToString("N")[..12];

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "vireo-virt-tests", Guid.NewGuid().ToString("N")[..12]);

    public HypervisorSettings Settings => new()
    {
        InstallationId = InstallationId,
        ConnectionUri = Uri,
        VirtType = DomainType.Qemu,
        MemStatsPeriodSeconds = 0,
    };

    /// <summary>The hypervisor under test, with short poll intervals.</summary>
    public LibvirtHypervisor Hypervisor { get; private set; } = null!;

    /// <summary>A plain binding connection for what the hypervisor must not do: foreign domains, cleanup.</summary>
    public Connection Raw { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            Raw = await Task.Run(() => Connection.Open(Uri));
        }
        catch (LibvirtException e)
        {
            throw new InvalidOperationException(
                $"libvirtd is not reachable at {Uri} ({e.Message}); run scripts/setup-host to install and start it, then rerun the tests", e);
        }

        Directory.CreateDirectory(WorkDirectory);
        Hypervisor = NewHypervisor();
    }

    public LibvirtHypervisor NewHypervisor(HypervisorSettings? settings = null) =>
        new(settings ?? Settings)
        {
            ShutdownPollInterval = TimeSpan.FromMilliseconds(100),
            ResubscribeDelay = TimeSpan.FromMilliseconds(200),
        };

    /// <summary>A spec with a fresh uuid and an empty 64 MiB qcow2 root disk in its own instance directory.</summary>
    public GuestSpec NewSpec(string label, bool agent = false, int memoryMiB = 64)
    {
        var id = Guid.NewGuid();
        var directory = Path.Combine(WorkDirectory, id.ToString("D"));
        Directory.CreateDirectory(directory);
        var disk = Path.Combine(directory, "disk");
        RunQemuImg("create", "-q", "-f", "qcow2", disk, "64M");
        var flavor = new Flavor("t1", "t1.test", 1, memoryMiB, 1, 0, 0, Flavor.NoExtraSpecs);
        var properties = agent
            ? new Dictionary<string, string> { [ImagePropertyRules.QemuGuestAgent] = "yes" }
            : ImageRecord.NoProperties;
        var now = DateTimeOffset.UtcNow;
        var image = new ImageRecord(Guid.NewGuid(), "empty", ImageStatus.Active, DiskFormat.Qcow2, "bare", null, null, null, 0, 0, properties, now, now);
        return new GuestSpec(id, "test-" + label, flavor, image, new DiskLayout(directory, [GuestDisk.File(DiskRole.Root, disk, DiskFormat.Qcow2)], Path.Combine(directory, "console.log")));
    }

    /// <summary>
    /// A spec whose root disk is a qcow2 overlay on the bootable test image (scripts/build-test-image:
    /// boots under TCG in seconds, runs qemu-ga, powers off on the ACPI button).
    /// </summary>
    public GuestSpec NewBootableSpec(string label)
    {
        var spec = NewSpec(label, agent: true, memoryMiB: 128);
        var disk = spec.Disks.Disks[0].FilePath();
        File.Delete(disk);
        RunQemuImg("create", "-q", "-f", "qcow2", "-b", TestImage.Qcow2Path, "-F", "qcow2", disk);
        return spec;
    }

    /// <summary>Removes the domain with this uuid whoever owns it, whatever state it is in. For cleanup only.</summary>
    public void RemoveDomain(Guid uuid)
    {
        using var domain = Raw.TryLookupDomainByUuid(uuid);
        if (domain is null)
        {
            return;
        }

        if (domain.GetState().State != DomainState.Shutoff)
        {
            try
            {
                domain.Destroy();
            }
            catch (LibvirtException)
            {
                // Already off, or gone: the undefine below settles it.
            }
        }

        try
        {
            domain.Undefine(DomainUndefineFlags.ManagedSave | DomainUndefineFlags.SnapshotsMetadata);
        }
        catch (LibvirtNotFoundException)
        {
        }
    }

    /// <summary>The libvirt state of a domain by uuid, read around the hypervisor under test; null when there is none.</summary>
    public DomainState? RawState(Guid uuid)
    {
        using var domain = Raw.TryLookupDomainByUuid(uuid);
        return domain?.GetState().State;
    }

    public async ValueTask DisposeAsync()
    {
        if (Raw is not null)
        {
            // Safety net for a test that died before its own cleanup: only this fixture's installation id.
            foreach (var domain in Raw.ListAllDomains())
            {
                using (domain)
                {
                    string xml;
                    try
                    {
                        xml = domain.GetXmlDescription();
                    }
                    catch (LibvirtNotFoundException)
                    {
                        continue;
                    }

                    if (VireoMetadataXml.Extract(xml)?.InstallationId == InstallationId)
                    {
                        RemoveDomain(domain.Uuid);
                    }
                }
            }
        }

        if (Hypervisor is not null)
        {
            await Hypervisor.DisposeAsync();
        }

        Raw?.Dispose();
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    internal static string RunQemuImg(params string[] args)
    {
        var info = new ProcessStartInfo("qemu-img") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("qemu-img did not start; run scripts/setup-host (package qemu-utils)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"qemu-img {string.Join(' ', args)} exited {process.ExitCode}: {stderr}"));
        }

        return stdout.Result;
    }
}

/// <summary>Removes one test guest (by uuid, whoever owns it) however the test ended.</summary>
public sealed class GuestScope(LibvirtHostFixture fixture, Guid uuid) : IAsyncDisposable
{
    public Guid Uuid { get; } = uuid;

    public ValueTask DisposeAsync() => new(Task.Run(() => fixture.RemoveDomain(Uuid)));
}

using Vireo.Core;
using Vireo.DomainXml;
using Vireo.Libvirt;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests.Integration;

/// <summary>What the goldens pin down is also what this host's libvirtd and QEMU accept.</summary>
public sealed class GoldenCasesInLibvirtTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> GoldenFiles => [.. GoldenCases.All.Keys];

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(GoldenFiles))]
    public async Task Golden_case_is_defined_with_schema_validation_and_qemu_guests_start(string file)
    {
        var (makeSpec, caseSettings) = GoldenCases.All[file];
        var id = Guid.NewGuid();
        var directory = Path.Combine(host.WorkDirectory, id.ToString("D"));
        Directory.CreateDirectory(directory);
        var spec = makeSpec(id, directory) with { Name = "test-golden" };
        foreach (var disk in spec.Disks.Disks)
        {
            LibvirtHostFixture.RunQemuImg("create", "-q", "-f", disk.Format.QemuName(), disk.FilePath(), "64M");
        }

        var settings = caseSettings with { InstallationId = host.InstallationId, ConnectionUri = LibvirtHostFixture.Uri };
        await using var hypervisor = host.NewHypervisor(settings);
        await using var scope = new GuestScope(host, id);

        await hypervisor.DefineGuestAsync(spec, Cancel);

        (await hypervisor.GetGuestAsync(id, Cancel))!.PowerState.ShouldBe(PowerState.Shutdown);
        using (var domain = host.Raw.LookupDomainByUuid(id))
        {
            var stored = DomainXmlReader.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive));
            var names = GuestCpuPolicy.NeedsModelNames(settings) ? await hypervisor.CpuFacts.ModelNamesAsync(settings.Arch, Cancel) : null;
            var built = GuestConfigBuilder.Build(spec, settings, DateTimeOffset.UtcNow, names);
            stored.Devices.Disks.ShouldBe(built.Devices.Disks);
            stored.Devices.Channels.ShouldBe(built.Devices.Channels);
            stored.Devices.Memballoon!.Model.ShouldBe(built.Devices.Memballoon!.Model);
            stored.Clock.ShouldBe(built.Clock);
            stored.Features.ShouldBe(built.Features);
        }

        // A kvm guest would hang on these hosts (docs/host-notes.md: KVM is nested pagetable-based); define is what it can prove.
        if (settings.VirtType == DomainType.Qemu)
        {
            await hypervisor.StartGuestAsync(id, Cancel);
            (await hypervisor.GetGuestAsync(id, Cancel))!.PowerState.ShouldBe(PowerState.Running);
            await hypervisor.DestroyGuestAsync(id, Cancel);
        }

        await hypervisor.UndefineGuestAsync(id, Cancel);
        host.RawState(id).ShouldBeNull();
    }
}

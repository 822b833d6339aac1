using System.Diagnostics;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests.Integration;

/// <summary>LibvirtHypervisor against the real libvirtd with guests that sit in the BIOS.</summary>
public sealed class LifecycleTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private LibvirtHypervisor Hypervisor => host.Hypervisor;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Define_start_destroy_undefine_walks_the_guest_through_its_power_states()
    {
        var spec = host.NewSpec("lifecycle");
        await using var scope = new GuestScope(host, spec.InstanceId);

        await Hypervisor.DefineGuestAsync(spec, Cancel);
        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel)).ShouldBe(new GuestInfo(spec.InstanceId, PowerState.Shutdown));

        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);
        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel))!.PowerState.ShouldBe(PowerState.Running);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel); // already running: nothing to do

        await Hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel);
        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel))!.PowerState.ShouldBe(PowerState.Shutdown);
        await Hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel); // already off: idempotent

        await Hypervisor.UndefineGuestAsync(spec.InstanceId, Cancel);
        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel)).ShouldBeNull();
        host.RawState(spec.InstanceId).ShouldBeNull();
        await Hypervisor.UndefineGuestAsync(spec.InstanceId, Cancel); // unknown: idempotent
        await Hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel);
    }

    [Fact(Timeout = 120_000)]
    public async Task Defined_domain_carries_the_built_xml_with_this_installations_metadata()
    {
        var spec = host.NewSpec("metadata", agent: true);
        await using var scope = new GuestScope(host, spec.InstanceId);

        await Hypervisor.DefineGuestAsync(spec, Cancel);

        using var domain = host.Raw.LookupDomainByUuid(spec.InstanceId);
        domain.Name.ShouldBe(GuestNames.DomainName(spec.InstanceId, spec.Name));
        domain.Name.ShouldStartWith("vireo-test-metadata-");
        var stored = DomainXmlReader.Parse(domain.GetXmlDescription());
        stored.Type.ShouldBe(DomainType.Qemu);
        stored.Metadata!.InstallationId.ShouldBe(host.InstallationId);
        stored.Metadata.InstanceId.ShouldBe(spec.InstanceId);
        stored.Metadata.DisplayName.ShouldBe("test-metadata");
        stored.Devices.Disks.ShouldHaveSingleItem().Format.ShouldBe(DiskFormat.Qcow2);
        stored.Devices.Channels.ShouldHaveSingleItem().SocketPath.ShouldBe(Path.Combine(spec.Disks.InstanceDirectory, "qga.sock"));
        stored.Devices.Serials.ShouldHaveSingleItem().Append.ShouldBeTrue();
    }

    [Fact(Timeout = 120_000)]
    public async Task Defining_an_instance_twice_is_a_conflict()
    {
        var spec = host.NewSpec("twice");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);

        var e = await Should.ThrowAsync<VireoException>(() => Hypervisor.DefineGuestAsync(spec, Cancel));

        e.Kind.ShouldBe(ErrorKind.Conflict);
        e.Message.ShouldContain(spec.InstanceId.ToString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Libvirt_refusing_a_definition_is_a_failure_quoting_libvirt()
    {
        // A machine type QEMU does not have: the builder cannot know, libvirt refuses at define time.
        await using var hypervisor = host.NewHypervisor(host.Settings with { MachineType = "no-such-machine" });
        var spec = host.NewSpec("refused");
        await using var scope = new GuestScope(host, spec.InstanceId);

        var e = await Should.ThrowAsync<VireoException>(() => hypervisor.DefineGuestAsync(spec, Cancel));

        e.Kind.ShouldBe(ErrorKind.Failed);
        e.Message.ShouldContain("libvirt refused to define the guest of instance " + spec.InstanceId);
        var libvirt = e.InnerException.ShouldBeAssignableTo<LibvirtException>()!;
        e.Message.ShouldContain($"\"{libvirt.Message}\"");
        host.RawState(spec.InstanceId).ShouldBeNull();
    }

    [Fact(Timeout = 120_000)]
    public async Task Graceful_stop_of_a_guest_that_ignores_acpi_pulls_the_plug_after_the_timeout()
    {
        var spec = host.NewSpec("graceful");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);

        var clock = Stopwatch.StartNew();
        await Hypervisor.StopGuestAsync(spec.InstanceId, graceful: true, TimeSpan.FromSeconds(2), Cancel);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
        host.RawState(spec.InstanceId).ShouldBe(DomainState.Shutoff);
        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel))!.PowerState.ShouldBe(PowerState.Shutdown);
    }

    [Fact(Timeout = 120_000)]
    public async Task Forced_stop_is_immediate_and_stopping_an_off_guest_is_fine()
    {
        var spec = host.NewSpec("forced");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        await Hypervisor.StopGuestAsync(spec.InstanceId, graceful: true, TimeSpan.FromSeconds(30), Cancel);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);

        var clock = Stopwatch.StartNew();
        await Hypervisor.StopGuestAsync(spec.InstanceId, graceful: false, TimeSpan.FromSeconds(30), Cancel);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        host.RawState(spec.InstanceId).ShouldBe(DomainState.Shutoff);
    }

    [Fact(Timeout = 120_000)]
    public async Task Stopping_or_starting_an_unknown_instance_is_not_found()
    {
        var id = Guid.NewGuid();

        (await Should.ThrowAsync<VireoException>(() => Hypervisor.StartGuestAsync(id, Cancel))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Should.ThrowAsync<VireoException>(() => Hypervisor.StopGuestAsync(id, true, TimeSpan.FromSeconds(1), Cancel))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Should.ThrowAsync<VireoException>(() => Hypervisor.RebootGuestAsync(id, hard: true, Cancel))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Hypervisor.GetGuestAsync(id, Cancel)).ShouldBeNull();
    }

    [Fact(Timeout = 120_000)]
    public async Task Hard_reboot_restarts_a_running_guest_with_a_new_qemu_process_and_starts_an_off_one()
    {
        var spec = host.NewSpec("hardreboot");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);

        await Hypervisor.RebootGuestAsync(spec.InstanceId, hard: true, Cancel);
        host.RawState(spec.InstanceId).ShouldBe(DomainState.Running);
        var before = QemuPid(spec);

        await Hypervisor.RebootGuestAsync(spec.InstanceId, hard: true, Cancel);

        host.RawState(spec.InstanceId).ShouldBe(DomainState.Running);
        QemuPid(spec).ShouldNotBe(before);
    }

    [Fact(Timeout = 120_000)]
    public async Task Soft_reboot_asks_a_running_guest_and_refuses_an_off_one()
    {
        var spec = host.NewSpec("softreboot");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);

        (await Should.ThrowAsync<VireoException>(() => Hypervisor.RebootGuestAsync(spec.InstanceId, hard: false, Cancel)))
            .Kind.ShouldBe(ErrorKind.Conflict);

        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);
        await Hypervisor.RebootGuestAsync(spec.InstanceId, hard: false, Cancel);
        host.RawState(spec.InstanceId).ShouldBe(DomainState.Running);
    }

    [Fact(Timeout = 120_000)]
    public async Task Undefining_a_running_guest_is_refused_and_leaves_it_running()
    {
        var spec = host.NewSpec("undefinerunning");
        await using var scope = new GuestScope(host, spec.InstanceId);
        await Hypervisor.DefineGuestAsync(spec, Cancel);
        await Hypervisor.StartGuestAsync(spec.InstanceId, Cancel);

        (await Should.ThrowAsync<VireoException>(() => Hypervisor.UndefineGuestAsync(spec.InstanceId, Cancel))).Kind.ShouldBe(ErrorKind.Conflict);

        host.RawState(spec.InstanceId).ShouldBe(DomainState.Running);
        using var domain = host.Raw.LookupDomainByUuid(spec.InstanceId);
        domain.IsPersistent.ShouldBeTrue();
    }

    [Fact(Timeout = 120_000)]
    public async Task Versions_are_those_nova_checks()
    {
        var versions = await Hypervisor.GetVersionsAsync(Cancel);

        versions.ConnectionUri.ShouldBe(LibvirtHostFixture.Uri);
        versions.HypervisorType.ShouldBe("QEMU");
        versions.LibvirtDaemon.ShouldBeGreaterThanOrEqualTo(new Version(8, 0, 0));
        versions.LibvirtLibrary.ShouldBeGreaterThanOrEqualTo(new Version(8, 0, 0));
        versions.Hypervisor.ShouldBeGreaterThanOrEqualTo(new Version(6, 2, 0));
        versions.Hostname.ShouldNotBeNullOrWhiteSpace();
    }

    /// <summary>libvirt writes the QEMU pid to /run/libvirt/qemu/&lt;name&gt;.pid while the domain runs.</summary>
    private static string QemuPid(GuestSpec spec) =>
        File.ReadAllText(Path.Combine("/run/libvirt/qemu", GuestNames.DomainName(spec.InstanceId, spec.Name) + ".pid")).Trim();
}

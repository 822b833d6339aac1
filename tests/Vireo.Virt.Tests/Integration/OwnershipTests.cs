using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.Libvirt;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests.Integration;

/// <summary>Other software shares the libvirtd: domains without this installation's id are invisible and untouched.</summary>
public sealed class OwnershipTests(LibvirtHostFixture host) : IClassFixture<LibvirtHostFixture>
{
    private LibvirtHypervisor Hypervisor => host.Hypervisor;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> ForeignKinds => ["without metadata", "of another installation"];

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(ForeignKinds))]
    public async Task A_foreign_domain_is_invisible_and_untouched_even_under_the_instances_uuid(string kind)
    {
        var spec = host.NewSpec("foreign");
        await using var scope = new GuestScope(host, spec.InstanceId);
        DefineForeign(spec, kind);
        await Task.Run(() =>
        {
            using var domain = host.Raw.LookupDomainByUuid(spec.InstanceId);
            domain.Start();
        }, Cancel);

        (await Hypervisor.GetGuestAsync(spec.InstanceId, Cancel)).ShouldBeNull();
        (await Hypervisor.ListOwnedGuestsAsync(Cancel)).ShouldNotContain(g => g.InstanceId == spec.InstanceId);

        await Hypervisor.DestroyGuestAsync(spec.InstanceId, Cancel);
        await Hypervisor.UndefineGuestAsync(spec.InstanceId, Cancel);
        await Should.ThrowAsync<VireoException>(() => Hypervisor.StopGuestAsync(spec.InstanceId, false, TimeSpan.Zero, Cancel));
        await Should.ThrowAsync<VireoException>(() => Hypervisor.RebootGuestAsync(spec.InstanceId, hard: true, Cancel));
        var conflict = await Should.ThrowAsync<VireoException>(() => Hypervisor.DefineGuestAsync(spec, Cancel));

        conflict.Kind.ShouldBe(ErrorKind.Conflict);
        conflict.Message.ShouldContain("not this installation's");
        host.RawState(spec.InstanceId).ShouldBe(DomainState.Running);
        using var still = host.Raw.LookupDomainByUuid(spec.InstanceId);
        still.IsPersistent.ShouldBeTrue();
        still.Name.ShouldStartWith("vireo-test-foreign");
        VireoMetadataXml.Extract(still.GetXmlDescription())?.InstallationId.ShouldNotBe(host.InstallationId);
    }

    [Fact(Timeout = 120_000)]
    public async Task Listing_returns_exactly_this_installations_guests_with_their_states()
    {
        var off = host.NewSpec("list-off");
        var on = host.NewSpec("list-on");
        var foreign = host.NewSpec("list-foreign");
        await using var offScope = new GuestScope(host, off.InstanceId);
        await using var onScope = new GuestScope(host, on.InstanceId);
        await using var foreignScope = new GuestScope(host, foreign.InstanceId);
        await Hypervisor.DefineGuestAsync(off, Cancel);
        await Hypervisor.DefineGuestAsync(on, Cancel);
        await Hypervisor.StartGuestAsync(on.InstanceId, Cancel);
        DefineForeign(foreign, "of another installation");

        var guests = await Hypervisor.ListOwnedGuestsAsync(Cancel);

        guests.OrderBy(g => g.InstanceId == on.InstanceId).ShouldBe(
        [
            new GuestInfo(off.InstanceId, PowerState.Shutdown),
            new GuestInfo(on.InstanceId, PowerState.Running),
        ]);
    }

    /// <summary>Defined straight through the binding, as other software (or another Vireo) would.</summary>
    private void DefineForeign(GuestSpec spec, string kind)
    {
        var xml = kind == "without metadata"
            ? DomainXmlWriter.Format(GuestConfigBuilder.Build(spec, host.Settings, DateTimeOffset.UtcNow, CpuFactValues.X86) with { Metadata = null })
            : DomainXmlWriter.Format(GuestConfigBuilder.Build(spec, host.Settings with { InstallationId = "someone-else" }, DateTimeOffset.UtcNow, CpuFactValues.X86));
        using var domain = host.Raw.DefineDomain(xml, validate: true);
    }
}

using Vireo.Core.Ports;
using Vireo.Testing.Contracts;

namespace Vireo.Virt.Tests.Integration;

/// <summary>
/// LibvirtHypervisor on the real libvirtd (qemu:///system, TCG guests sitting in the BIOS of an empty
/// disk) keeps the contract the fake hypervisor is held to (tests/Vireo.Core.Tests/FakeContractTests.cs).
/// </summary>
public sealed class LibvirtHypervisorContractTests(LibvirtHostFixture host) : HypervisorContract, IClassFixture<LibvirtHostFixture>
{
    protected override IHypervisor Hypervisor => host.Hypervisor;

    protected override GuestSpec NewSpec(string label) => host.NewSpec("contract-" + label);

    protected override ValueTask RemoveGuestAsync(Guid instanceId) => new(Task.Run(() => host.RemoveDomain(instanceId)));

    protected override long WatchMarker => host.Hypervisor.SubscriptionCount;

    protected override async Task WhenWatchingAsync(Func<bool> pumpEnded, long marker, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        while (host.Hypervisor.SubscriptionCount <= marker)
        {
            if (pumpEnded())
            {
                throw new InvalidOperationException("the watcher ended before it subscribed");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}

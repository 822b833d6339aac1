using CsCheck;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>
/// Random sequences of operations, some with a failing hypervisor or disk step: no guest or
/// directory ever exists without a live row, and one reconciliation makes everything consistent.
/// </summary>
public sealed class RandomOperationsPropertyTests
{
    public enum Op
    {
        Create,
        Delete,
        Start,
        Stop,
        RebootSoft,
        RebootHard,
    }

    private static readonly string[] FailurePoints =
    [
        nameof(IInstanceDisks.CreateRootDiskAsync),
        nameof(IInstanceDisks.DeleteInstanceFilesAsync),
        nameof(IHypervisor.DefineGuestAsync),
        nameof(IHypervisor.StartGuestAsync),
        nameof(IHypervisor.StopGuestAsync),
        nameof(IHypervisor.RebootGuestAsync),
        nameof(IHypervisor.DestroyGuestAsync),
        nameof(IHypervisor.UndefineGuestAsync),
    ];

    // Up to two failing methods per step, so an undo can fail after the step itself failed.
    private static readonly Gen<(Op Op, int Server, int[] Failures)> Step =
        Gen.Select(Gen.Enum<Op>(), Gen.Int[0, 2], Gen.Int[0, FailurePoints.Length - 1].Array[0, 2]);

    [Fact]
    public async Task Any_sequence_leaves_no_orphan_and_reconciles_to_consistency()
    {
        await Step.List[1, 25].SampleAsync(
            async steps =>
            {
                var host = new FakeHost();
                var service = host.Service();
                foreach (var (op, server, failures) in steps)
                {
                    var name = $"s{server}";
                    foreach (var failure in failures)
                    {
                        FailuresFor(host, FailurePoints[failure]).FailOn(FailurePoints[failure]);
                    }

                    try
                    {
                        await (op switch
                        {
                            Op.Create => service.CreateServerAsync(FakeHost.Request(name), CancellationToken.None),
                            Op.Delete => service.DeleteServerAsync(name, null, CancellationToken.None),
                            Op.Start => service.StartServerAsync(name, null, CancellationToken.None),
                            Op.Stop => service.StopServerAsync(name, null, CancellationToken.None),
                            Op.RebootSoft => service.RebootServerAsync(name, RebootType.Soft, null, CancellationToken.None),
                            _ => service.RebootServerAsync(name, RebootType.Hard, null, CancellationToken.None),
                        });
                    }
                    catch (VireoException)
                    {
                        // Refusals and injected failures are expected; the invariants are what counts.
                    }
                    finally
                    {
                        foreach (var failure in failures)
                        {
                            FailuresFor(host, FailurePoints[failure]).Clear(FailurePoints[failure]);
                        }
                    }

                    ShouldHaveNoOrphans(host);
                    host.Store.Instances.Where(instance => instance.TaskState != null || instance.VmState == VmState.Building).ShouldBeEmpty();
                }

                (await service.ReconcileAsync(CancellationToken.None)).Succeeded.ShouldBeTrue();
                host.ShouldBeConsistent();
            },
            iter: 200);
    }

    private static Failures FailuresFor(FakeHost host, string method) =>
        method.Contains("Guest", StringComparison.Ordinal) ? host.Hypervisor.Failures : host.Disks.Failures;

    private static void ShouldHaveNoOrphans(FakeHost host)
    {
        var live = host.Store.Instances.Where(instance => !instance.IsDeleted).Select(instance => instance.Id).ToHashSet();
        host.Hypervisor.Guests.Keys.Where(id => !live.Contains(id)).ShouldBeEmpty("a guest without a live row");
        host.Disks.Directories.Where(id => !live.Contains(id)).ShouldBeEmpty("a directory without a live row");
    }
}

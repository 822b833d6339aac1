using CsCheck;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>
/// Random sequences of operations, some with a failing hypervisor or disk step: no guest ever
/// exists without a live row, no directory without a row (a deleted row may keep its directory
/// when the delete could not remove it: a pending delete), and one reconciliation makes
/// everything consistent. Servers are addressed by id, as the service addresses them; a slot
/// never created is addressed by an id nobody has (the not-found path).
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
        var succeeded = new int[Enum.GetValues<Op>().Length];
        await Step.List[1, 25].SampleAsync(
            async steps =>
            {
                var host = new FakeHost();
                var service = host.Service();
                var ids = new Dictionary<int, string>();
                foreach (var (op, server, failures) in steps)
                {
                    var name = $"s{server}";
                    var id = ids.GetValueOrDefault(server, Guid.Empty.ToString());
                    foreach (var failure in failures)
                    {
                        FailuresFor(host, FailurePoints[failure]).FailOn(FailurePoints[failure]);
                    }

                    try
                    {
                        await (op switch
                        {
                            Op.Create => CreateAsync(host, service, name, server, ids),
                            Op.Delete => service.DeleteServerAsync(id, Callers.Admin, CancellationToken.None),
                            Op.Start => service.StartServerAsync(id, Callers.Admin, CancellationToken.None),
                            Op.Stop => service.StopServerAsync(id, Callers.Admin, CancellationToken.None),
                            Op.RebootSoft => service.RebootServerAsync(id, RebootType.Soft, Callers.Admin, CancellationToken.None),
                            _ => service.RebootServerAsync(id, RebootType.Hard, Callers.Admin, CancellationToken.None),
                        });
                        Interlocked.Increment(ref succeeded[(int)op]);
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

                (await service.ReconcileAsync( Callers.Admin,CancellationToken.None)).Succeeded.ShouldBeTrue();
                host.ShouldBeConsistent();
            },
            iter: 200);

        // Every kind of operation really ran somewhere in the sample, not only its refusal.
        foreach (var op in Enum.GetValues<Op>())
        {
            succeeded[(int)op].ShouldBeGreaterThan(0, $"no {op} succeeded in the whole sample");
        }
    }

    /// <summary>
    /// Creates a server; the slot addresses it from now on, also when the create failed and left a
    /// row in ERROR (an earlier server of the slot stays, as a second server of the same name).
    /// </summary>
    private static async Task<Instance> CreateAsync(FakeHost host, ComputeService service, string name, int slot, Dictionary<int, string> ids)
    {
        var before = host.Store.Instances.Select(instance => instance.Id).ToHashSet();
        try
        {
            return await service.CreateServerAsync(FakeHost.Request(name), Callers.Admin, CancellationToken.None);
        }
        finally
        {
            if (host.Store.Instances.FirstOrDefault(instance => !before.Contains(instance.Id)) is { } made)
            {
                ids[slot] = made.Id.ToString();
            }
        }
    }

    private static Failures FailuresFor(FakeHost host, string method) =>
        method.Contains("Guest", StringComparison.Ordinal) ? host.Hypervisor.Failures : host.Disks.Failures;

    private static void ShouldHaveNoOrphans(FakeHost host)
    {
        var live = host.Store.Instances.Where(instance => !instance.IsDeleted).Select(instance => instance.Id).ToHashSet();
        var rows = host.Store.Instances.Select(instance => instance.Id).ToHashSet();
        host.Hypervisor.Guests.Keys.Where(id => !live.Contains(id)).ShouldBeEmpty("a guest without a live row");
        host.Disks.Directories.Where(id => !rows.Contains(id)).ShouldBeEmpty("a directory without a row");
    }
}

using CsCheck;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>
/// Random sequences of operations, some with a failing hypervisor or disk step: no guest ever
/// exists without a live row, no directory without a row (a deleted row may keep its directory
/// when the delete could not remove it: a pending delete), and one reconciliation makes
/// everything consistent. Servers are addressed by id, as the service addresses them; a slot
/// never created is addressed by an id nobody has (the not-found path). A second model runs random
/// callers of two projects and an admin: a caller never sees or changes another project's server
/// unless it is an admin.
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

                (await service.ReconcileAsync(service.ServiceContext(), CancellationToken.None)).Succeeded.ShouldBeTrue();
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

    public enum Who
    {
        Alice,
        Bob,
        Admin,
    }

    public enum TenantOp
    {
        Create,
        Delete,
        Stop,
        Start,
        Show,
        List,
    }

    private static readonly Gen<(TenantOp Op, int Server, Who Who)> TenantStep =
        Gen.Select(Gen.Enum<TenantOp>(), Gen.Int[0, 3], Gen.Enum<Who>());

    [Fact]
    public async Task A_caller_never_sees_or_changes_another_projects_server_unless_admin()
    {
        var crossProjectRefusals = 0;
        var adminCrossProject = 0;
        await TenantStep.List[1, 30].SampleAsync(
            async steps =>
            {
                var host = new FakeHost();
                var service = host.Service();
                var ids = new Dictionary<int, Guid>();
                foreach (var (op, server, who) in steps)
                {
                    var caller = who switch { Who.Alice => Callers.Alice, Who.Bob => Callers.Bob, _ => Callers.Admin };
                    if (op == TenantOp.Create)
                    {
                        ids[server] = (await service.CreateServerAsync(FakeHost.Request($"s{server}"), caller, CancellationToken.None)).Id;
                        continue;
                    }

                    if (op == TenantOp.List)
                    {
                        var listed = (await service.ListServersAsync(new ServerListQuery(), caller, CancellationToken.None)).Select(i => i.Id).ToHashSet();
                        var own = host.Store.Instances.Where(i => !i.IsDeleted && i.ProjectId == caller.ProjectId).Select(i => i.Id).ToHashSet();
                        listed.SetEquals(own).ShouldBeTrue($"{who} lists exactly its own project's live servers");
                        continue;
                    }

                    if (!ids.TryGetValue(server, out var id))
                    {
                        continue;
                    }

                    var before = host.Row(id);
                    var foreign = !caller.IsAdmin && before.ProjectId != caller.ProjectId;
                    var reference = id.ToString();
                    try
                    {
                        await (op switch
                        {
                            TenantOp.Delete => service.DeleteServerAsync(reference, caller, CancellationToken.None),
                            TenantOp.Stop => service.StopServerAsync(reference, caller, CancellationToken.None),
                            TenantOp.Start => service.StartServerAsync(reference, caller, CancellationToken.None),
                            _ => service.ShowServerAsync(reference, caller, CancellationToken.None),
                        });
                        foreign.ShouldBeFalse($"{who} did {op} on {before.ProjectId}'s server");
                        if (caller.IsAdmin && before.ProjectId != caller.ProjectId)
                        {
                            Interlocked.Increment(ref adminCrossProject);
                        }
                    }
                    catch (VireoException refusal) when (foreign)
                    {
                        refusal.Kind.ShouldBe(ErrorKind.NotFound);
                        host.Row(id).ShouldBe(before, "a refused caller changes nothing");
                        Interlocked.Increment(ref crossProjectRefusals);
                    }
                    catch (VireoException refusal) when (refusal.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
                    {
                        // The owner's own refusals (a stopped server started twice, a deleted one) are the state table's.
                    }
                }

                host.ShouldBeConsistent();
            },
            iter: 200);

        crossProjectRefusals.ShouldBeGreaterThan(0, "the sample never tried another project's server");
        adminCrossProject.ShouldBeGreaterThan(0, "the sample never had an admin act on another project's server");
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

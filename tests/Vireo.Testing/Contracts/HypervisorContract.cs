using System.Threading.Channels;
using Shouldly;
using Vireo.Core.Ports;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What callers of <see cref="IHypervisor"/> rely on, asserted the same way for the fake and for
/// LibvirtHypervisor on the real libvirtd: a derived class supplies the hypervisor and guest specs.
/// The error kinds are those LibvirtHypervisor raises: NotFound for an operation on a guest that is
/// not there, Conflict for defining twice, undefining a guest that is not off and soft-rebooting one
/// that is not running; destroy and undefine of an unknown guest, start of a running one and stop of
/// one that is off are no-ops. Guests need not boot: nothing here waits for a guest OS.
/// </summary>
public abstract class HypervisorContract
{
    /// <summary>Every wait on the real daemon is bounded by this.</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    protected abstract IHypervisor Hypervisor { get; }

    /// <summary>A spec with a fresh instance id whose disks exist (the guest is never expected to boot an OS).</summary>
    protected abstract GuestSpec NewSpec(string label);

    /// <summary>Removes the guest whatever state it is in, around the hypervisor under test; runs however a test ended.</summary>
    protected abstract ValueTask RemoveGuestAsync(Guid instanceId);

    /// <summary>Returns once a watcher started before it will see every later event (the real one subscribes asynchronously).</summary>
    protected virtual Task WhenWatchingAsync(Func<bool> pumpEnded, long marker, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A value read before a watcher starts, handed to <see cref="WhenWatchingAsync"/>.</summary>
    protected virtual long WatchMarker => 0;

    /// <summary>How long a watcher waits for each expected event.</summary>
    protected virtual TimeSpan EventDeadline => Deadline;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task A_defined_guest_is_off_listed_and_readable()
    {
        await using var guest = await DefineAsync("define");

        (await Hypervisor.GetGuestAsync(guest.Id, Ct)).ShouldBe(new GuestInfo(guest.Id, PowerState.Shutdown));
        (await Hypervisor.ListOwnedGuestsAsync(Ct)).ShouldContain(new GuestInfo(guest.Id, PowerState.Shutdown));
        (await Hypervisor.ReadGuestCpuAsync(guest.Id, Ct)).ShouldBeNull("a guest that is off has no CPU to report");
    }

    [Fact(Timeout = 300_000)]
    public async Task Defining_an_instance_twice_is_a_conflict_and_keeps_the_first_guest()
    {
        await using var guest = await DefineAsync("twice");

        var e = await Should.ThrowAsync<VireoException>(() => Hypervisor.DefineGuestAsync(guest.Spec, Ct));

        e.Kind.ShouldBe(ErrorKind.Conflict);
        e.Message.ShouldContain(guest.Id.ToString());
        (await Hypervisor.GetGuestAsync(guest.Id, Ct)).ShouldNotBeNull();
    }

    [Fact(Timeout = 300_000)]
    public async Task Start_stop_and_hard_reboot_walk_the_power_states_and_repeats_are_no_ops()
    {
        await using var guest = await DefineAsync("power");

        await Hypervisor.StartGuestAsync(guest.Id, Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Running);
        await Hypervisor.StartGuestAsync(guest.Id, Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Running, "starting a running guest changes nothing");

        await Hypervisor.StopGuestAsync(guest.Id, graceful: false, TimeSpan.Zero, Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Shutdown);
        await Hypervisor.StopGuestAsync(guest.Id, graceful: true, TimeSpan.FromSeconds(1), Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Shutdown, "stopping a guest that is off changes nothing");

        await Hypervisor.RebootGuestAsync(guest.Id, hard: true, Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Running, "a hard reboot starts a guest that was off");

        await Hypervisor.DestroyGuestAsync(guest.Id, Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Shutdown);
        await Hypervisor.DestroyGuestAsync(guest.Id, Ct);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Shutdown, "destroying a guest that is off changes nothing");
    }

    [Fact(Timeout = 300_000)]
    public async Task Undefining_a_running_guest_is_a_conflict_and_leaves_it_running()
    {
        await using var guest = await DefineAsync("undefine-running");
        await Hypervisor.StartGuestAsync(guest.Id, Ct);

        var e = await Should.ThrowAsync<VireoException>(() => Hypervisor.UndefineGuestAsync(guest.Id, Ct));

        e.Kind.ShouldBe(ErrorKind.Conflict);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Running);
    }

    [Fact(Timeout = 300_000)]
    public async Task Soft_reboot_of_a_guest_that_is_off_is_a_conflict()
    {
        await using var guest = await DefineAsync("soft-reboot-off");

        var e = await Should.ThrowAsync<VireoException>(() => Hypervisor.RebootGuestAsync(guest.Id, hard: false, Ct));

        e.Kind.ShouldBe(ErrorKind.Conflict);
        (await PowerAsync(guest.Id)).ShouldBe(PowerState.Shutdown);
    }

    [Fact(Timeout = 300_000)]
    public async Task Undefine_removes_an_off_guest_and_is_idempotent()
    {
        await using var guest = await DefineAsync("undefine");

        await Hypervisor.UndefineGuestAsync(guest.Id, Ct);

        (await Hypervisor.GetGuestAsync(guest.Id, Ct)).ShouldBeNull();
        (await Hypervisor.ListOwnedGuestsAsync(Ct)).Select(g => g.InstanceId).ShouldNotContain(guest.Id);
        await Hypervisor.UndefineGuestAsync(guest.Id, Ct);
        await Hypervisor.DestroyGuestAsync(guest.Id, Ct);
    }

    [Fact(Timeout = 300_000)]
    public async Task An_unknown_guest_is_null_unlisted_and_not_found_for_every_operation_on_it()
    {
        var id = Guid.NewGuid();

        (await Hypervisor.GetGuestAsync(id, Ct)).ShouldBeNull();
        (await Hypervisor.ListOwnedGuestsAsync(Ct)).Select(g => g.InstanceId).ShouldNotContain(id);
        await Hypervisor.DestroyGuestAsync(id, Ct);
        await Hypervisor.UndefineGuestAsync(id, Ct);
        (await KindOf(() => Hypervisor.StartGuestAsync(id, Ct))).ShouldBe(ErrorKind.NotFound, "start");
        (await KindOf(() => Hypervisor.StopGuestAsync(id, graceful: true, TimeSpan.FromSeconds(1), Ct))).ShouldBe(ErrorKind.NotFound, "stop");
        (await KindOf(() => Hypervisor.RebootGuestAsync(id, hard: true, Ct))).ShouldBe(ErrorKind.NotFound, "hard reboot");
        (await KindOf(() => Hypervisor.RebootGuestAsync(id, hard: false, Ct))).ShouldBe(ErrorKind.NotFound, "soft reboot");
        (await KindOf(() => Hypervisor.ReadGuestCpuAsync(id, Ct))).ShouldBe(ErrorKind.NotFound, "read CPU");
        (await KindOf(() => Hypervisor.PingAgentAsync(id, TimeSpan.FromSeconds(1), Ct))).ShouldBe(ErrorKind.NotFound, "ping");
    }

    [Fact(Timeout = 300_000)]
    public async Task The_agent_of_a_guest_that_is_off_does_not_answer()
    {
        await using var guest = await DefineAsync("ping-off");

        (await Hypervisor.PingAgentAsync(guest.Id, TimeSpan.FromSeconds(1), Ct)).ShouldBe(AgentPing.NotAnswering);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_guest_cpu_is_reported_while_it_runs_and_not_once_it_is_off()
    {
        await using var guest = await DefineAsync("cpu");
        await Hypervisor.StartGuestAsync(guest.Id, Ct);

        (await Hypervisor.ReadGuestCpuAsync(guest.Id, Ct)).ShouldNotBeNull();

        await Hypervisor.DestroyGuestAsync(guest.Id, Ct);
        (await Hypervisor.ReadGuestCpuAsync(guest.Id, Ct)).ShouldBeNull();
    }

    [Fact(Timeout = 300_000)]
    public async Task A_watcher_sees_the_changes_the_hypervisor_makes_itself_in_order()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = Channel.CreateUnbounded<PowerStateChange>();
        var marker = WatchMarker;
        var pump = Task.Run(async () =>
        {
            await foreach (var change in Hypervisor.WatchPowerStateAsync(stop.Token))
            {
                received.Writer.TryWrite(change);
            }
        }, Ct);
        try
        {
            await WhenWatchingAsync(() => pump.IsCompleted, marker, Ct);
            await using var guest = await DefineAsync("events");
            var seen = new List<PowerStateChange>();

            await Hypervisor.StartGuestAsync(guest.Id, Ct);
            await WaitForAsync(received.Reader, seen, guest.Id, PowerState.Running);
            await Hypervisor.DestroyGuestAsync(guest.Id, Ct);
            await WaitForAsync(received.Reader, seen, guest.Id, PowerState.Shutdown);
            await Hypervisor.UndefineGuestAsync(guest.Id, Ct);
            await WaitForAsync(received.Reader, seen, guest.Id, PowerState.NoState);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await pump;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The watcher ends by cancellation; some watchers end quietly instead.
            }
        }
    }

    /// <summary>Where a live copy may be written (absolute, not there yet).</summary>
    protected virtual string CopyTargetPath(string label) =>
        Path.Join(Path.GetTempPath(), $"vireo-contract-copy-{label}-{Guid.NewGuid():N}.qcow2");

    /// <summary>True when a copy was written at <paramref name="path"/>.</summary>
    protected virtual bool CopyExists(string path) => File.Exists(path);

    [Fact(Timeout = 300_000)]
    public async Task A_running_guests_root_disk_is_copied_live_and_a_stopped_or_unknown_guest_is_refused()
    {
        await using var guest = await DefineAsync("copy");
        var target = CopyTargetPath("copy");
        try
        {
            (await KindOf(() => Hypervisor.CopyRunningRootDiskAsync(guest.Id, target, DiskFormat.Qcow2, Ct))).ShouldBe(ErrorKind.Conflict, "a guest that is off has no running disk to copy");
            CopyExists(target).ShouldBeFalse();
            (await KindOf(() => Hypervisor.CopyRunningRootDiskAsync(Guid.NewGuid(), target, DiskFormat.Qcow2, Ct))).ShouldBe(ErrorKind.NotFound);

            await Hypervisor.StartGuestAsync(guest.Id, Ct);
            await Hypervisor.CopyRunningRootDiskAsync(guest.Id, target, DiskFormat.Qcow2, Ct);

            CopyExists(target).ShouldBeTrue();
            (await PowerAsync(guest.Id)).ShouldBe(PowerState.Running, "the guest runs on through its copy");
        }
        finally
        {
            File.Delete(target);
        }
    }

    private async Task<PowerState?> PowerAsync(Guid id) => (await Hypervisor.GetGuestAsync(id, Ct))?.PowerState;

    private static async Task<ErrorKind?> KindOf(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (VireoException e)
        {
            return e.Kind;
        }
    }

    /// <summary>Reads events until this guest reaches <paramref name="state"/>; the guest's earlier events must not come later.</summary>
    private async Task WaitForAsync(ChannelReader<PowerStateChange> reader, List<PowerStateChange> seen, Guid id, PowerState state)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(EventDeadline);
        try
        {
            while (true)
            {
                var change = await reader.ReadAsync(deadline.Token);
                seen.Add(change);
                if (change.InstanceId == id && change.PowerState == state)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no {state} event for {id} within {EventDeadline}; seen: {string.Join(", ", seen.Select(c => $"{c.InstanceId}={c.PowerState}"))}");
        }
    }

    private async Task<DefinedGuest> DefineAsync(string label)
    {
        var spec = NewSpec(label);
        var guest = new DefinedGuest(this, spec);
        try
        {
            await Hypervisor.DefineGuestAsync(spec, Ct);
        }
        catch
        {
            await guest.DisposeAsync();
            throw;
        }

        return guest;
    }

    /// <summary>A guest of one test, removed however the test ends.</summary>
    private sealed class DefinedGuest(HypervisorContract contract, GuestSpec spec) : IAsyncDisposable
    {
        public GuestSpec Spec => spec;

        public Guid Id => spec.InstanceId;

        public ValueTask DisposeAsync() => contract.RemoveGuestAsync(spec.InstanceId);
    }
}

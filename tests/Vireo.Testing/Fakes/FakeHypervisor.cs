using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>
/// The one in-memory <see cref="IHypervisor"/>, held to <c>Contracts/HypervisorContract</c> like
/// LibvirtHypervisor: NotFound for a guest that is not there (start, stop, reboot, CPU, ping),
/// Conflict for defining twice, undefining a guest that is not off, starting a paused one and
/// soft-rebooting one that is not running; destroy and undefine of an unknown guest are fine; every
/// power change it makes itself is also sent as an event, as libvirt's lifecycle events are.
/// Knobs: failure injection per method (<see cref="Failures"/>), gates that hold a method until
/// released (<see cref="Hold"/>), changes behind the service's back.
/// </summary>
public sealed class FakeHypervisor(Freezable process) : IHypervisor
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, FakeGuest> _guests = [];
    private readonly Dictionary<Guid, int> _boots = [];
    private readonly Dictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);
    private readonly Channel<PowerStateChange> _events = Channel.CreateUnbounded<PowerStateChange>();

    public FakeHypervisor()
        : this(new Freezable())
    {
    }

    public Failures Failures { get; } = new();

    /// <summary>Where <see cref="CopyRunningRootDiskAsync"/> writes its copies (shared with the fake disks in a <see cref="FakeHost"/>).</summary>
    public FakeSnapshotFiles SnapshotFiles { get; set; } = new();

    /// <summary>What a live copy contains; null: <see cref="FakeSnapshotFiles.ContentOf"/> the instance.</summary>
    public byte[]? CopyContent { get; set; }

    public List<string> Calls { get; } = [];

    public sealed record FakeGuest(GuestSpec? Spec, PowerState PowerState);

    public IReadOnlyDictionary<Guid, FakeGuest> Guests
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<Guid, FakeGuest>(_guests);
            }
        }
    }

    /// <summary>When set, <see cref="EnsureReachableAsync"/> fails with it (Unavailable), as libvirt being down would.</summary>
    public string? Unreachable { get; set; }

    /// <summary>When set, every define fails with it (Failed), as libvirt refusing the XML would.</summary>
    public string? DefineFailure { get; set; }

    /// <summary>When set, a start waits for it (to keep an operation in flight).</summary>
    public TaskCompletionSource? StartGate { get; set; }

    /// <summary>
    /// What <see cref="ReadGuestCpuAsync"/> answers for a running guest; when null, a CPU whose model
    /// names the guest's process start ("boot-N").
    /// </summary>
    public EffectiveGuestCpu? Cpu { get; set; }

    /// <summary>False: the CPU of a running guest cannot be read (null), as when no record was made.</summary>
    public bool CpuReadable { get; set; } = true;

    /// <summary>What an agent ping of a running guest finds; a guest that is not running never answers.</summary>
    public AgentPing AgentAnswer { get; set; } = AgentPing.Answered;

    /// <summary>The last agent ping asked: instance and timeout.</summary>
    public (Guid Id, TimeSpan Timeout)? LastPing { get; private set; }

    public PowerState? PowerOf(Guid id) => Guests.TryGetValue(id, out var guest) ? guest.PowerState : null;

    /// <summary>Makes <paramref name="method"/> wait until <see cref="Release"/>; returns a task that completes when it is reached.</summary>
    public Task Hold(string method)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _holds[method] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holds[method + ".reached"] = reached;
        }

        return reached.Task;
    }

    public void Release(string method)
    {
        lock (_lock)
        {
            if (_holds.Remove(method, out var hold))
            {
                hold.SetResult();
            }
        }
    }

    /// <summary>A guest defined outside Vireo's create path (e.g. left by a crash, or made by hand); no event.</summary>
    public void Put(Guid id, PowerState power)
    {
        lock (_lock)
        {
            _guests[id] = new FakeGuest(null, power);
        }
    }

    /// <summary>The guest changes by itself (shut down from inside, crashed, removed by hand) and an event is sent.</summary>
    public void ChangeBehindOurBack(Guid id, PowerState? power)
    {
        lock (_lock)
        {
            if (power is { } state)
            {
                _guests[id] = _guests[id] with { PowerState = state };
            }
            else
            {
                _guests.Remove(id);
            }
        }

        Send(id, power ?? PowerState.NoState);
    }

    public void CompleteEvents() => _events.Writer.TryComplete();

    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(EnsureReachableAsync));
        if (Unreachable is { } reason)
        {
            throw new VireoException(ErrorKind.Unavailable, reason);
        }
    }

    public async Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await EnterAsync(nameof(DefineGuestAsync), spec.InstanceId, cancellationToken);
        if (DefineFailure is { } failure)
        {
            throw new VireoException(ErrorKind.Failed, failure);
        }

        lock (_lock)
        {
            if (_guests.ContainsKey(spec.InstanceId))
            {
                throw VireoException.Conflict($"instance {spec.InstanceId} already has a guest; undefine it before defining it again");
            }

            _guests[spec.InstanceId] = new FakeGuest(spec, PowerState.Shutdown);
        }

        Send(spec.InstanceId, PowerState.Shutdown);
    }

    public async Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        if (StartGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        await EnterAsync(nameof(StartGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            switch (Require(instanceId).PowerState)
            {
                case PowerState.Running:
                    return;
                case PowerState.Paused or PowerState.Suspended:
                    throw VireoException.Conflict($"cannot start the guest of instance {instanceId}: it is {Require(instanceId).PowerState}, not off; stop it first");
            }

            Boot(instanceId);
            SetPower(instanceId, PowerState.Running);
        }

        Send(instanceId, PowerState.Running);
    }

    /// <summary>
    /// The running guest's CPU names its QEMU process: model "boot-N" after the N-th process start
    /// (start from off, hard reboot), so tests see when the record is refreshed; <see cref="Cpu"/> when set.
    /// </summary>
    public async Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(ReadGuestCpuAsync));
        lock (_lock)
        {
            if (Require(instanceId).PowerState is PowerState.Shutdown or PowerState.Crashed || !CpuReadable)
            {
                return null;
            }

            return Cpu ?? new EffectiveGuestCpu(
                "host-model", "custom", $"boot-{_boots.GetValueOrDefault(instanceId)}", "AMD",
                [new GuestCpuFeature("svm", "require")], new GuestVirtualization(true, "svm", "the running CPU requires svm"), DateTimeOffset.UnixEpoch);
        }
    }

    /// <summary>How many times the guest's process was started.</summary>
    public int BootsOf(Guid instanceId)
    {
        lock (_lock)
        {
            return _boots.GetValueOrDefault(instanceId);
        }
    }

    public async Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(StopGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            if (Require(instanceId).PowerState == PowerState.Shutdown)
            {
                return;
            }

            SetPower(instanceId, PowerState.Shutdown);
        }

        Send(instanceId, PowerState.Shutdown);
    }

    public async Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(RebootGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            var guest = Require(instanceId);
            if (!hard && guest.PowerState != PowerState.Running)
            {
                throw VireoException.Conflict($"cannot soft reboot the guest of instance {instanceId}: it is {guest.PowerState}, not running; use a hard reboot");
            }

            if (!hard)
            {
                return;
            }

            Boot(instanceId);
            SetPower(instanceId, PowerState.Running);
        }

        Send(instanceId, PowerState.Running);
    }

    public async Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(DestroyGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            if (!_guests.TryGetValue(instanceId, out var guest) || guest.PowerState == PowerState.Shutdown)
            {
                return;
            }

            _guests[instanceId] = guest with { PowerState = PowerState.Shutdown };
        }

        Send(instanceId, PowerState.Shutdown);
    }

    public async Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(UndefineGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            if (!_guests.TryGetValue(instanceId, out var guest))
            {
                return;
            }

            if (guest.PowerState != PowerState.Shutdown)
            {
                // As LibvirtHypervisor: undefining an active domain would leave it running as a transient one.
                throw VireoException.Conflict($"cannot undefine the guest of instance {instanceId}: it is {guest.PowerState}; stop or destroy it first");
            }

            _guests.Remove(instanceId);
        }

        Send(instanceId, PowerState.NoState);
    }

    public async Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(PingAgentAsync));
        lock (_lock)
        {
            Calls.Add($"ping {instanceId}");
            LastPing = (instanceId, timeout);
            if (!_guests.TryGetValue(instanceId, out var guest))
            {
                throw VireoException.NotFound($"instance {instanceId} has no guest");
            }

            // libvirt checks that the domain is active before it looks for the agent channel.
            return guest.PowerState == PowerState.Running ? AgentAnswer : AgentPing.NotAnswering;
        }
    }

    public async Task<GuestInfo?> GetGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(GetGuestAsync));
        lock (_lock)
        {
            return _guests.TryGetValue(instanceId, out var guest) ? new GuestInfo(instanceId, guest.PowerState) : null;
        }
    }

    public async Task<IReadOnlyList<GuestInfo>> ListOwnedGuestsAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(ListOwnedGuestsAsync));
        lock (_lock)
        {
            return [.. _guests.Select(pair => new GuestInfo(pair.Key, pair.Value.PowerState))];
        }
    }

    /// <summary>As libvirt's backup: NotFound without guest, Conflict unless running or paused; writes the copy when complete.</summary>
    public async Task CopyRunningRootDiskAsync(Guid instanceId, string targetPath, DiskFormat format, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Require(instanceId).PowerState is not (PowerState.Running or PowerState.Paused))
            {
                throw VireoException.Conflict($"the guest of instance {instanceId} is not running, so its disk cannot be copied live");
            }
        }

        await EnterAsync(nameof(CopyRunningRootDiskAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            Require(instanceId);
        }

        SnapshotFiles.Write(targetPath, CopyContent ?? FakeSnapshotFiles.ContentOf(instanceId, "live " + format.Name()));
    }

    public async IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return change;
        }
    }

    private void Boot(Guid instanceId) => _boots[instanceId] = _boots.GetValueOrDefault(instanceId) + 1;

    private void Send(Guid instanceId, PowerState power) =>
        _events.Writer.TryWrite(new PowerStateChange(instanceId, power, DateTimeOffset.UnixEpoch));

    private async Task EnterAsync(string method, Guid instanceId, CancellationToken cancellationToken)
    {
        TaskCompletionSource? hold;
        TaskCompletionSource? reached;
        lock (_lock)
        {
            Calls.Add($"{method} {instanceId}");
            _holds.TryGetValue(method, out hold);
            _holds.Remove(method + ".reached", out reached);
        }

        reached?.SetResult();
        if (hold is not null)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        process.EnsureAlive();
        Failures.ThrowIfFailing(method);
    }

    private void SetPower(Guid instanceId, PowerState power) => _guests[instanceId] = Require(instanceId) with { PowerState = power };

    private FakeGuest Require(Guid instanceId) =>
        _guests.TryGetValue(instanceId, out var guest)
            ? guest
            : throw VireoException.NotFound($"instance {instanceId} has no guest owned by this installation");
}

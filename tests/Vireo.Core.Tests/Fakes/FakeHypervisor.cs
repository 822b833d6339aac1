using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests.Fakes;

/// <summary>
/// An in-memory hypervisor keeping to the <see cref="IHypervisor"/> contract, strict where
/// libvirt is (undefining a running guest is refused here so ordering bugs show), with
/// failure injection per method and gates that hold a method until released.
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

    /// <summary>A guest defined outside Vireo's create path (e.g. left by a crash, or made by hand).</summary>
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

        _events.Writer.TryWrite(new PowerStateChange(id, power ?? PowerState.NoState, DateTimeOffset.UnixEpoch));
    }

    public void CompleteEvents() => _events.Writer.TryComplete();

    public async Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await EnterAsync(nameof(DefineGuestAsync), spec.InstanceId, cancellationToken);
        lock (_lock)
        {
            if (_guests.ContainsKey(spec.InstanceId))
            {
                throw VireoException.Conflict($"guest {spec.InstanceId} is already defined");
            }

            _guests[spec.InstanceId] = new FakeGuest(spec, PowerState.Shutdown);
        }
    }

    public async Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(StartGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            if (Require(instanceId).PowerState != PowerState.Running)
            {
                Boot(instanceId);
            }
        }

        SetPower(instanceId, PowerState.Running);
    }

    /// <summary>
    /// The running guest's CPU names its QEMU process: model "boot-N" after the N-th process start
    /// (start from off, hard reboot), so tests see when the record is refreshed.
    /// </summary>
    public async Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(ReadGuestCpuAsync));
        lock (_lock)
        {
            if (Require(instanceId).PowerState != PowerState.Running)
            {
                return null;
            }

            return new EffectiveGuestCpu(
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

    private void Boot(Guid instanceId) => _boots[instanceId] = _boots.GetValueOrDefault(instanceId) + 1;

    public async Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(StopGuestAsync), instanceId, cancellationToken);
        SetPower(instanceId, PowerState.Shutdown);
    }

    public async Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(RebootGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            var guest = Require(instanceId);
            if (!hard && guest.PowerState != PowerState.Running)
            {
                throw new VireoException(ErrorKind.Failed, $"guest {instanceId} is not running; a soft reboot needs it running");
            }

            if (hard)
            {
                Boot(instanceId);
            }
        }

        SetPower(instanceId, PowerState.Running);
    }

    public async Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(DestroyGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            if (_guests.TryGetValue(instanceId, out var guest))
            {
                _guests[instanceId] = guest with { PowerState = PowerState.Shutdown };
            }
        }
    }

    public async Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await EnterAsync(nameof(UndefineGuestAsync), instanceId, cancellationToken);
        lock (_lock)
        {
            if (_guests.TryGetValue(instanceId, out var guest) && guest.PowerState is PowerState.Running or PowerState.Paused or PowerState.Suspended)
            {
                throw new VireoException(ErrorKind.Failed, $"guest {instanceId} is {guest.PowerState.ToNova()}; power it off before undefining it");
            }

            _guests.Remove(instanceId);
        }
    }

    /// <summary>What an agent ping of a running guest finds; a guest that is not running never answers.</summary>
    public AgentPing AgentAnswer { get; set; } = AgentPing.Answered;

    public async Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(PingAgentAsync));
        lock (_lock)
        {
            Calls.Add($"ping {instanceId}");
            if (!_guests.TryGetValue(instanceId, out var guest))
            {
                throw VireoException.NotFound($"instance {instanceId} has no guest");
            }

            return guest.PowerState == PowerState.Running || AgentAnswer == AgentPing.NoAgentChannel ? AgentAnswer : AgentPing.NotAnswering;
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

    public async IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return change;
        }
    }

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

    private void SetPower(Guid instanceId, PowerState power)
    {
        lock (_lock)
        {
            _guests[instanceId] = Require(instanceId) with { PowerState = power };
        }
    }

    private FakeGuest Require(Guid instanceId) =>
        _guests.TryGetValue(instanceId, out var guest)
            ? guest
            : throw new VireoException(ErrorKind.Failed, $"guest {instanceId} is not defined");
}

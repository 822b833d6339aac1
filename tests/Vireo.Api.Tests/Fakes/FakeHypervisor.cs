using System.Runtime.CompilerServices;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Fakes;

/// <summary>Guests as a dictionary; <see cref="DefineFailure"/> makes every build fail at the define step.</summary>
public sealed class FakeHypervisor : IHypervisor
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, PowerState> _guests = [];

    public string? DefineFailure { get; set; }

    /// <summary>When set, <see cref="EnsureReachableAsync"/> fails with it as libvirt being down would.</summary>
    public string? Unreachable { get; set; }

    /// <summary>When set, a start waits for it (to keep an operation in flight).</summary>
    public TaskCompletionSource? StartGate { get; set; }

    /// <summary>What an agent ping of a defined guest finds (a guest not defined is NotFound, as libvirt's adapter says).</summary>
    public AgentPing AgentAnswer { get; set; } = AgentPing.Answered;

    /// <summary>The last agent ping asked: instance and timeout.</summary>
    public (Guid Id, TimeSpan Timeout)? LastPing { get; private set; }

    public Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        LastPing = (instanceId, timeout);
        lock (_lock)
        {
            return _guests.ContainsKey(instanceId)
                ? Task.FromResult(AgentAnswer)
                : throw VireoException.NotFound($"instance {instanceId} has no guest");
        }
    }

    public Task EnsureReachableAsync(CancellationToken cancellationToken) =>
        Unreachable is { } reason ? throw new VireoException(ErrorKind.Unavailable, reason) : Task.CompletedTask;

    public Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken)
    {
        if (DefineFailure is { } failure)
        {
            throw new VireoException(ErrorKind.Failed, failure);
        }

        lock (_lock)
        {
            if (!_guests.TryAdd(spec.InstanceId, PowerState.Shutdown))
            {
                throw VireoException.Conflict($"guest {spec.InstanceId} is already defined");
            }
        }

        return Task.CompletedTask;
    }

    public async Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        if (StartGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        Set(instanceId, PowerState.Running);
    }

    /// <summary>What <see cref="ReadGuestCpuAsync"/> answers for a running guest; null means not recorded.</summary>
    public EffectiveGuestCpu? Cpu { get; set; } = new(
        "host-model", "custom", "EPYC", "AMD",
        [new GuestCpuFeature("acpi", "require"), new GuestCpuFeature("vme", "disable")],
        new GuestVirtualization(true, "svm", "model EPYC has svm in libvirt's CPU map and the running CPU keeps it"),
        new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    public Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_guests.GetValueOrDefault(instanceId) == PowerState.Running ? Cpu : null);
        }
    }

    public Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Set(instanceId, PowerState.Shutdown);
        return Task.CompletedTask;
    }

    public Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken)
    {
        Set(instanceId, PowerState.Running);
        return Task.CompletedTask;
    }

    public Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_guests.ContainsKey(instanceId))
            {
                _guests[instanceId] = PowerState.Shutdown;
            }
        }

        return Task.CompletedTask;
    }

    public Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _guests.Remove(instanceId);
        }

        return Task.CompletedTask;
    }

    public Task<GuestInfo?> GetGuestAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_guests.TryGetValue(instanceId, out var power) ? new GuestInfo(instanceId, power) : null);
        }
    }

    public Task<IReadOnlyList<GuestInfo>> ListOwnedGuestsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<GuestInfo> list = [.. _guests.Select(pair => new GuestInfo(pair.Key, pair.Value))];
            return Task.FromResult(list);
        }
    }

    public async IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    private void Set(Guid instanceId, PowerState power)
    {
        lock (_lock)
        {
            if (!_guests.ContainsKey(instanceId))
            {
                throw new VireoException(ErrorKind.Failed, $"guest {instanceId} is not defined");
            }

            _guests[instanceId] = power;
        }
    }
}

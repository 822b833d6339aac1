using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Fakes;

/// <summary>An <see cref="IInstanceStore"/> in memory, with the revision check and the unique live name of the contract.</summary>
public sealed class InMemoryInstanceStore : IInstanceStore
{
    private readonly Lock _lock = new();
    private readonly List<Instance> _instances = [];
    private readonly List<InstanceAction> _actions = [];
    private readonly List<InstanceFault> _faults = [];

    /// <summary>The row is gone, as with an empty or an older database.</summary>
    public void Forget(Guid id)
    {
        lock (_lock)
        {
            _instances.RemoveAll(instance => instance.Id == id);
        }
    }

    public Task AddAsync(Instance instance, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_instances.Any(existing => existing.Id == instance.Id || (!existing.IsDeleted && existing.Name == instance.Name)))
            {
                throw VireoException.Conflict($"a server named '{instance.Name}' or with id {instance.Id} exists");
            }

            _instances.Add(instance);
        }

        return Task.CompletedTask;
    }

    public Task<Instance?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_instances.FirstOrDefault(instance => instance.Id == id));
        }
    }

    public Task<Instance?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_instances.FirstOrDefault(instance => !instance.IsDeleted && instance.Name == name));
        }
    }

    public Task<IReadOnlyList<Instance>> ListAsync(bool includeDeleted, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Instance> list = [.. _instances.Where(instance => includeDeleted || !instance.IsDeleted).OrderByDescending(instance => instance.CreatedAt)];
            return Task.FromResult(list);
        }
    }

    public Task<Instance> UpdateAsync(Instance instance, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _instances.FindIndex(existing => existing.Id == instance.Id);
            if (index < 0)
            {
                throw VireoException.NotFound($"instance {instance.Id} is gone");
            }

            if (_instances[index].Revision != instance.Revision)
            {
                throw VireoException.Conflict($"instance {instance.Id} changed since it was read");
            }

            var stored = instance with { Revision = instance.Revision + 1 };
            _instances[index] = stored;
            return Task.FromResult(stored);
        }
    }

    public Task AddActionAsync(InstanceAction action, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _actions.Add(action);
        }

        return Task.CompletedTask;
    }

    public Task FinishActionAsync(Guid instanceId, string requestId, DateTimeOffset finishedAt, ActionResult result, string? message, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _actions.FindIndex(action => action.InstanceId == instanceId && action.RequestId == requestId);
            if (index >= 0)
            {
                _actions[index] = _actions[index] with { FinishedAt = finishedAt, Result = result, Message = message };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<InstanceAction> list = [.. _actions.Where(action => action.InstanceId == instanceId)];
            return Task.FromResult(list);
        }
    }

    public Task AddFaultAsync(InstanceFault fault, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _faults.Add(fault);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InstanceFault>> ListFaultsAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<InstanceFault> list = [.. _faults.Where(fault => fault.InstanceId == instanceId).OrderByDescending(fault => fault.CreatedAt)];
            return Task.FromResult(list);
        }
    }
}

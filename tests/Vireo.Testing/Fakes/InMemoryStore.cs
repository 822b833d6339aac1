using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>
/// The one in-memory store (instances, flavors, image metadata), held to <c>Contracts/StoreContract</c>
/// like the SQLite store: names need not be unique, lists by project sorted and paged as <see cref="InstanceQuery.Apply"/>, compare-and-set on
/// <see cref="Instance.Revision"/>, soft delete, actions and faults only for an instance that exists,
/// the SQLite store's orderings. Failure injection by operation name: the instance operations by their
/// method name ("UpdateAsync"), the flavor and image ones prefixed ("Flavor.ListAsync", "Image.AddAsync").
/// </summary>
public sealed partial class InMemoryStore(Freezable process) : IInstanceStore, IFlavorStore, IImageRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Instance> _instances = [];
    private readonly List<InstanceAction> _actions = [];
    private readonly List<InstanceFault> _faults = [];
    private readonly Dictionary<string, Flavor> _flavors = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, ImageRecord> _images = [];

    public InMemoryStore()
        : this(new Freezable())
    {
    }

    public Failures Failures { get; } = new();

    public IReadOnlyList<Instance> Instances
    {
        get
        {
            lock (_lock)
            {
                return [.. _instances.Values];
            }
        }
    }

    public Instance Single(string name) => Instances.Single(instance => instance.Name == name);

    public void Put(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        lock (_lock)
        {
            _instances[instance.Id] = instance;
        }
    }

    /// <summary>The row is gone, as with an empty or an older database.</summary>
    public void Forget(Guid id)
    {
        lock (_lock)
        {
            _instances.Remove(id);
        }
    }

    public void Put(Flavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        lock (_lock)
        {
            _flavors[flavor.Id] = flavor;
        }
    }

    public void Put(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (_lock)
        {
            _images[image.Id] = image;
        }
    }

    public Task AddAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Write(nameof(AddAsync));
        lock (_lock)
        {
            if (_instances.ContainsKey(instance.Id))
            {
                throw VireoException.Conflict($"instance {instance.Id} already exists");
            }

            _instances[instance.Id] = instance;
        }

        return Task.CompletedTask;
    }

    public Task<Instance?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        Read(nameof(GetAsync));
        lock (_lock)
        {
            return Task.FromResult(_instances.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Instance>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Read(nameof(QueryAsync));
        lock (_lock)
        {
            return Task.FromResult(query.Apply(_instances.Values));
        }
    }

    public Task<IReadOnlyList<Instance>> ListAsync(bool includeDeleted, CancellationToken cancellationToken)
    {
        Read(nameof(ListAsync));
        lock (_lock)
        {
            IReadOnlyList<Instance> list =
                [.. _instances.Values.Where(instance => includeDeleted || !instance.IsDeleted).OrderByDescending(instance => instance.CreatedAt).ThenBy(instance => Key(instance.Id), StringComparer.Ordinal)];
            return Task.FromResult(list);
        }
    }

    public Task<Instance> UpdateAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Write(nameof(UpdateAsync));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_instances.TryGetValue(instance.Id, out var stored))
            {
                throw VireoException.NotFound($"instance {instance.Id} does not exist");
            }

            if (stored.Revision != instance.Revision)
            {
                throw VireoException.Conflict($"{instance.Label} was changed by another request; try again");
            }

            var updated = instance with { Revision = instance.Revision + 1 };
            _instances[instance.Id] = updated;
            return Task.FromResult(updated);
        }
    }

    public Task AddActionAsync(InstanceAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        Write(nameof(AddActionAsync));
        lock (_lock)
        {
            if (!_instances.ContainsKey(action.InstanceId))
            {
                throw VireoException.NotFound($"instance {action.InstanceId} does not exist; an action needs its instance");
            }

            if (_actions.Any(other => other.InstanceId == action.InstanceId && other.RequestId == action.RequestId))
            {
                throw VireoException.Conflict($"request {action.RequestId} already has an action on instance {action.InstanceId}");
            }

            _actions.Add(action);
        }

        return Task.CompletedTask;
    }

    public Task FinishActionAsync(Guid instanceId, string requestId, DateTimeOffset finishedAt, ActionResult result, string? message, CancellationToken cancellationToken)
    {
        Write(nameof(FinishActionAsync));
        lock (_lock)
        {
            var index = _actions.FindIndex(action => action.InstanceId == instanceId && action.RequestId == requestId);
            if (index < 0)
            {
                throw VireoException.NotFound($"instance {instanceId} has no action for request {requestId}");
            }

            _actions[index] = _actions[index] with { FinishedAt = finishedAt, Result = result, Message = message };
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<InstanceAction> list = [.. _actions.Where(action => action.InstanceId == instanceId).OrderBy(action => action.StartedAt)];
            return Task.FromResult(list);
        }
    }

    public Task AddFaultAsync(InstanceFault fault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Write(nameof(AddFaultAsync));
        lock (_lock)
        {
            if (!_instances.ContainsKey(fault.InstanceId))
            {
                throw VireoException.NotFound($"instance {fault.InstanceId} does not exist; a fault needs its instance");
            }

            _faults.Add(fault);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InstanceFault>> ListFaultsAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<InstanceFault> list = [.. _faults.Where(fault => fault.InstanceId == instanceId).Reverse().OrderByDescending(fault => fault.CreatedAt)];
            return Task.FromResult(list);
        }
    }

    private void Write(string operation)
    {
        process.EnsureAlive();
        Failures.ThrowIfFailing(operation);
    }

    private void Read(string operation) => Failures.ThrowIfFailing(operation);

    /// <summary>Ids as the SQLite store keeps them (text, "D"), so ties sort alike.</summary>
    private static string Key(Guid id) => id.ToString("D");
}

using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Fakes;

/// <summary>An <see cref="IFlavorStore"/> in memory, seeded with Nova's m1.tiny and m1.small.</summary>
public sealed class InMemoryFlavorStore : IFlavorStore
{
    private readonly Lock _lock = new();
    private readonly List<Flavor> _flavors =
    [
        new("1", "m1.tiny", 1, 512, 1, 0, 0, Flavor.NoExtraSpecs),
        new("2", "m1.small", 1, 2048, 20, 0, 0, Flavor.NoExtraSpecs),
    ];

    /// <summary>When set, <see cref="ListAsync"/> throws it (to see how the API handles a bug).</summary>
    public Exception? ListFailure { get; set; }

    public Task<Flavor?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_flavors.FirstOrDefault(flavor => flavor.Id == id));
        }
    }

    public Task<Flavor?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_flavors.FirstOrDefault(flavor => flavor.Name == name));
        }
    }

    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken)
    {
        if (ListFailure is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            IReadOnlyList<Flavor> list = [.. _flavors.OrderBy(flavor => flavor.Id, StringComparer.Ordinal)];
            return Task.FromResult(list);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_flavors.RemoveAll(flavor => flavor.Id == id) > 0);
        }
    }

    public Task AddAsync(Flavor flavor, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_flavors.Any(existing => existing.Id == flavor.Id || existing.Name == flavor.Name))
            {
                throw VireoException.Conflict($"a flavor with id '{flavor.Id}' or name '{flavor.Name}' already exists");
            }

            _flavors.Add(flavor);
        }

        return Task.CompletedTask;
    }
}

namespace Vireo.Core.Ports;

/// <summary>Flavors by id ("1") or by name ("m1.tiny").</summary>
public interface IFlavorStore
{
    Task<Flavor?> GetAsync(string id, CancellationToken cancellationToken);

    Task<Flavor?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>All flavors, ordered by id.</summary>
    Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a flavor; <see cref="ErrorKind.Conflict"/> when the id or the name is taken.</summary>
    Task AddAsync(Flavor flavor, CancellationToken cancellationToken);

    /// <summary>Removes the flavor with this id and its extra specs; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
